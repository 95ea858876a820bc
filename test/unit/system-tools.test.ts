import { ensureSystemTools, type SystemTool } from '../../toolchain/system-tools';

describe('system tools the test suite needs', () => {
  const tool = (present: boolean): SystemTool => ({
    what: 'the frobnicator',
    present: () => present,
    packages: ['frobnicator-bin'],
  });

  it('reports what it found when everything is there, installing nothing', async () => {
    await expect(ensureSystemTools([tool(true)], () => {}, { PATH: '/nonexistent' })).resolves.toEqual([
      'the frobnicator',
    ]);
  });

  it('without apt-get, fails once naming every missing tool and the one command that installs them', async () => {
    await expect(ensureSystemTools([tool(false)], () => {}, { PATH: '/nonexistent' })).rejects.toThrow(
      'Missing: the frobnicator. Install with: sudo apt-get install -y --no-install-recommends frobnicator-bin',
    );
  });
});
