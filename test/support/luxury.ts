/** Fields every luxury-rule-set upload in the tests carries (its required fields), as the API takes them. */
export const LUXURY_METADATA = JSON.stringify({
  campaign: 'SS26',
  photographer: 'Li Wei',
  scenario: 'store',
  usageRegion: 'CN-mainland',
});

/** A name that follows the luxury naming convention. */
export const LUXURY_NAME = 'SS26_store_V1_20261128.jpg';
