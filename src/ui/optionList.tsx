import * as React from 'react';
import { ListNavigation } from './listNavigation';

/**
 * The list pane of the restore and recover dialogs: a WAI-ARIA listbox that
 * takes the focus when it appears, moves its selection with the keys of
 * `ListNavigation`, keeps the selected option in view, and shows `children`
 * (loading, empty and error states) under the options.
 */
export function OptionList<T>(props: OptionList.IProps<T>): JSX.Element {
  const { items, selected, onSelect } = props;
  const listRef = React.useRef<HTMLUListElement>(null);

  // The dialog looks for the list to focus before React has rendered it, so
  // the list takes the focus itself when it appears (arrows, Enter, Escape).
  React.useEffect(() => {
    listRef.current?.focus();
  }, []);

  React.useEffect(() => {
    listRef.current
      ?.querySelector('[aria-selected="true"]')
      ?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const onKeyDown = (event: React.KeyboardEvent) => {
    const next = ListNavigation.move(event.key, selected, items.length);
    if (next !== null) {
      event.preventDefault();
      onSelect(next);
    }
  };

  const optionId = (i: number) => `${props.idPrefix}-${i}`;
  return (
    <div className="jp-gitCheckpoints-listPane">
      <ul
        ref={listRef}
        className="jp-gitCheckpoints-list"
        role="listbox"
        tabIndex={0}
        aria-label={props.label}
        aria-busy={props.busy}
        aria-activedescendant={
          items[selected] !== undefined ? optionId(selected) : undefined
        }
        onKeyDown={onKeyDown}
      >
        {items.map((item, i) => (
          <React.Fragment key={props.keyOf(item)}>
            {props.renderOption(item, {
              id: optionId(i),
              selected: i === selected,
              onClick: () => {
                onSelect(i);
                listRef.current?.focus();
              }
            })}
          </React.Fragment>
        ))}
      </ul>
      {props.children}
    </div>
  );
}

export namespace OptionList {
  export interface IProps<T> {
    items: readonly T[];
    selected: number;
    onSelect: (index: number) => void;
    /** The listbox's accessible name. */
    label: string;
    busy: boolean;
    /** Prefix of the options' element ids (unique in the page). */
    idPrefix: string;
    keyOf: (item: T) => string;
    /** One `role="option"` element, given its id, whether it is selected and its click handler. */
    renderOption: (item: T, option: IOption) => React.ReactNode;
    children?: React.ReactNode;
  }

  export interface IOption {
    id: string;
    selected: boolean;
    onClick: () => void;
  }
}
