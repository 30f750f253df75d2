// The cohort's resource library: browsing, searching and filtering on the device, publishing,
// pinning to the cohort home, and copies kept (encrypted) for offline use.
export { LibraryView, PinnedResources } from './LibraryView';
