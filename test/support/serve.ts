import type { AddressInfo } from 'node:net';
import type { Harness } from './harness';

/** The harness's app on a real port (for a browser, a CLI or a fetch stream). */
export async function serve(harness: Harness): Promise<{ url: string; close(): Promise<void> }> {
  const server = harness.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
