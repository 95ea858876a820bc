import { takeContractViolations } from '../../server/contract/response-check';

/**
 * Every test file: the app checks each response it sends against the operation's contract
 * (server/contract/), and the file fails if any did not match. Child processes the tests start
 * inherit the setting, where a breaking JSON response becomes a 500.
 */
process.env.ASSETFLOW_CHECK_RESPONSES = '1';

afterAll(() => {
  expect(takeContractViolations()).toEqual([]);
});
