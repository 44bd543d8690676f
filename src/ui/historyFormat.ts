/** Pure helpers of the history views. */
export namespace HistoryFormat {
  /** Messages the engine writes by itself (docs/rest-api.md): every other one was given by a user. */
  const AUTOMATIC =
    /^(Checkpoint \S.*|Before restoring [0-9a-f]{7}|Restore \S.* to [0-9a-f]{7}|Rename \S.* to \S.*|Delete \S.*|Recover \S.* from [0-9a-f]{7})$/;

  /** Whether a checkpoint's message was given by a user (a named checkpoint). */
  export function isNamed(message: string): boolean {
    return !AUTOMATIC.test(message);
  }
}
