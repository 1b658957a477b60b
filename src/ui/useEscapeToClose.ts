import { useEffect, type RefObject } from 'react';

/**
 * Escape inside a form closes it the way its "Close (keep the draft)" button does: the answers stay
 * a draft in this tab (every form of the app: the PEG, the screening, the red-flag evaluation).
 * Off while `disabled` (a save under way) or without a `close`.
 */
export function useEscapeToClose(
  form: RefObject<HTMLElement | null>,
  close: (() => void) | undefined,
  disabled: boolean,
): void {
  useEffect(() => {
    const element = form.current;
    if (element === null || close === undefined || disabled) {
      return undefined;
    }
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        close();
      }
    };
    element.addEventListener('keydown', onKey);
    return () => {
      element.removeEventListener('keydown', onKey);
    };
  }, [form, close, disabled]);
}
