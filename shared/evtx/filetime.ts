// Transitional shim while shared/regf moves to shared/bytes/filetime (delete once nothing imports it).
export { filetimeIso } from '../bytes/filetime';
