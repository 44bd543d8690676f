/** The git CLI on a repository of the test (the home, an export). */
import { gitCli } from '../../test/helpers/gitRemote';

/** Runs `git -C dir ...args` and gives its standard output. */
export async function gitIn(dir: string, ...args: string[]): Promise<string> {
  return (await gitCli(['-C', dir, ...args])).stdout;
}
