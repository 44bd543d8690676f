/**
 * The keys that move the selection of a listbox (WAI-ARIA's listbox pattern):
 * the arrows by one, Home and End to the ends.
 */
export namespace ListNavigation {
  /** The index `key` moves the selection to, or null when the key is not a move. */
  export function move(
    key: string,
    selected: number,
    count: number
  ): number | null {
    if (count === 0) {
      return null;
    }
    switch (key) {
      case 'ArrowDown':
        return Math.min(selected + 1, count - 1);
      case 'ArrowUp':
        return Math.max(selected - 1, 0);
      case 'Home':
        return 0;
      case 'End':
        return count - 1;
      default:
        return null;
    }
  }
}
