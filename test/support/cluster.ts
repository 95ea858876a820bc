import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { AppConfig } from '../../config/config.schema';
import type { DeepPartial } from '../../config/load-config';
import { embeddedDefaults } from './assetflow-process';

const REPO = path.join(__dirname, '..', '..');

export interface ClusterProcess {
  child: ChildProcess;
  output(): string;
}

/**
 * One Assetflow process of an installation spread over several (`assetflow server` or `worker`),
 * with its own configuration file in `dir`, as a separate machine would run it. The environment
 * keeps the AWS credentials and drops what would override the file.
 */
export function startClusterProcess(
  dir: string,
  role: 'server' | 'worker',
  config: DeepPartial<AppConfig>,
  admin: { email: string; password: string },
): ClusterProcess {
  mkdirSync(dir, { recursive: true });
  const configFile = path.join(dir, 'assetflow.json');
  writeFileSync(configFile, JSON.stringify(config));
  const env = embeddedDefaults(process.env);
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/assetflow.ts', '-c', configFile, role], {
    cwd: REPO,
    env: { ...env, ASSETFLOW_ADMIN_EMAIL: admin.email, ASSETFLOW_ADMIN_PASSWORD: admin.password },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => text };
}

/** Polls `<base>/api/health` until it answers 200. */
export async function waitUntilServing(
  base: string,
  process: ClusterProcess,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process.child.exitCode !== null) throw new Error(`the server exited: ${process.output()}`);
    const ok = await fetch(`${base}/api/health`)
      .then((res) => res.status === 200)
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${base} was not healthy within ${timeoutMs} ms: ${process.output()}`);
}

/** Waits until `count` distinct workers poll the task queue for workflow tasks. */
export async function waitForPollers(address: string, taskQueue: string, count: number, timeoutMs = 120_000) {
  const connection = await Connection.connect({ address });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const described = await connection.workflowService.describeTaskQueue({
        namespace: 'default',
        taskQueue: { name: taskQueue },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      const identities = new Set((described.pollers ?? []).map((p) => p.identity));
      if (identities.size >= count) return [...identities];
      if (Date.now() > deadline)
        throw new Error(`only ${identities.size} of ${count} workers poll ${taskQueue}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await connection.close();
  }
}
