import type { Harness } from './harness';

/** Fields every luxury-rule-set upload in the tests carries (its required fields), as the API takes them. */
export const LUXURY_METADATA = JSON.stringify({
  campaign: 'SS26',
  photographer: 'Li Wei',
  scenario: 'store',
  usageRegion: 'CN-mainland',
});

/** A name that follows the luxury naming convention. */
export const LUXURY_NAME = 'SS26_store_V1_20261128.jpg';

/**
 * Uploads `bytes` under the luxury rule set (as the harness administrator unless `as` is given),
 * expects a 201 and returns the new asset's id; it does not wait for the workflow.
 */
export async function uploadLuxury(
  harness: Harness,
  bytes: Buffer,
  {
    as,
    project,
    name = LUXURY_NAME,
  }: { as?: { Authorization: string }; project?: string; name?: string } = {},
): Promise<string> {
  let req = harness.http.post('/api/assets');
  if (as) req = req.set(as);
  if (project) req = req.field('project', project);
  const res = await req
    .field('ruleSet', 'luxury')
    .field('metadata', LUXURY_METADATA)
    .attach('file', bytes, name)
    .expect(201);
  return res.body.id as string;
}
