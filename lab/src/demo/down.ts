// `headland-lab demo down`: stops the demo's processes in an order that shows what Headland does
// on shutdown (speakers first: they withdraw and send Cease), then removes the lab and files.
import { cpSync, existsSync, lstatSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { lab } from '../index.js';
import { DEMO_DIR, DemoError, LAB, LOG_DIR } from './layout.js';
import { logLines, readPidFiles, stopAll, type PidRecord } from './procs.js';
import type { StepRunner } from './steps.js';

/** Stop order: speakers, then what serves traffic, then the controller, the API server last. */
export function stopGroups(records: readonly PidRecord[]): { speakers: PidRecord[]; workloads: PidRecord[]; control: PidRecord[] } {
  const speakers = records.filter((r) => r.name.startsWith('speaker-'));
  const control = records.filter((r) => r.name === 'controller' || r.name === 'apiserver').sort((a, b) => (a.name === 'apiserver' ? 1 : 0) - (b.name === 'apiserver' ? 1 : 0));
  const workloads = records.filter((r) => !speakers.includes(r) && !control.includes(r));
  return { speakers, workloads, control };
}

/** Keeps the router's and the lab's own logs beside the demo's before the lab dir goes. */
function saveLabLogs(): void {
  const runDir = lab.naming.runDir(LAB);
  if (!existsSync(runDir)) return;
  const dest = join(LOG_DIR, 'lab');
  rmSync(dest, { recursive: true, force: true });
  cpSync(runDir, dest, {
    recursive: true,
    // Sockets and FIFOs (vtysh, ExaBGP API) cannot be copied and are no use as logs.
    filter: (src) => {
      try {
        const st = lstatSync(src);
        return st.isDirectory() || (st.isFile() && !src.endsWith('.pid'));
      } catch {
        return false;
      }
    },
  });
}

export async function down(steps: StepRunner): Promise<void> {
  const { speakers, workloads, control } = stopGroups(readPidFiles());
  if (speakers.length > 0) {
    await steps.run(
      `stopping headland-speaker on ${speakers.map((s) => s.name.replace(/^speaker-/, '')).join(', ')} (each withdraws its routes and sends Cease)`,
      () => stopAll(speakers, 12_000),
      (killed) => {
        const clean = speakers.filter((s) => logLines(s.name).some((l) => l['msg'] === 'withdrew every route and sent Cease')).length;
        return `${clean} of ${speakers.length} withdrew and sent Cease${killed.length > 0 ? `; killed ${killed.join(', ')}` : ''}`;
      },
    );
  }
  if (workloads.length + control.length > 0) {
    await steps.run('stopping the kube-proxy stand-ins, echo servers, controller and API server', async () => {
      const killed = [...(await stopAll(workloads, 5_000)), ...(await stopAll(control, 5_000))];
      return killed;
    }, (killed) => (killed.length > 0 ? `killed ${killed.join(', ')} after SIGTERM` : 'done'));
  }
  await steps.run(
    `removing lab ${LAB}`,
    async () => {
      saveLabLogs();
      const report = await lab.downLab(LAB);
      if (report.problems.length > 0) throw new DemoError('demo/down', `not removed: ${report.problems.join('; ')}`);
      rmSync(DEMO_DIR, { recursive: true, force: true });
      return report;
    },
    (r) => `${r.namespaces.length} namespaces removed`,
  );
}
