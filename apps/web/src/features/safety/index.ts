// Safety: quick exit (the button on every screen, Esc twice) and panic (the form, then the screen
// that follows the hub's side of it).
export { PanicForm } from './PanicForm';
export { PanicScreen } from './PanicScreen';
export { QuickExitButton, useQuickExitKeys } from './QuickExit';
