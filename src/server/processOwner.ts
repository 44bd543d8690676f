import { readFileSync } from 'node:fs';
import type { LockJournal } from '../engine';

/**
 * This process as a lock owner: `<pid>.<start time>.<boot id>`. A pid alone
 * is not enough: after a restart in a container the new engine often gets
 * the pid of the one that was killed, and the killed one may still be a
 * zombie nobody has reaped. Off Linux (no /proc) the start time and boot id
 * are empty and liveness is the pid's alone.
 */
export function processOwner(): LockJournal.IOwner {
  return { id: ownerId(process.pid), isAlive };
}

function ownerId(pid: number): string {
  return `${pid}.${startTime(pid) ?? ''}.${bootId()}`;
}

function isAlive(id: string): boolean {
  const [pidText, start, boot] = id.split('.');
  const pid = Number(pidText);
  if (!Number.isSafeInteger(pid) || pid <= 0 || boot !== bootId()) {
    return false;
  }
  const stat = procStat(pid);
  if (stat) {
    // A zombie (Z) or dead (X) process holds nothing; a reused pid has another start time.
    return !/^[ZX]/.test(stat.state) && (!start || stat.start === start);
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: any) {
    return error?.code === 'EPERM';
  }
}

let boot: string | undefined;

function bootId(): string {
  boot ??= read('/proc/sys/kernel/random/boot_id')?.trim().slice(0, 8) ?? '';
  return boot;
}

function startTime(pid: number): string | undefined {
  return procStat(pid)?.start;
}

/** State and start time (field 22, clock ticks since boot) from /proc/<pid>/stat. */
function procStat(pid: number): { state: string; start: string } | null {
  const text = read(`/proc/${pid}/stat`);
  if (text === null) {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], start: fields[19] };
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
