// Light / dark / follow the system. The system choice uses prefers-color-scheme in the CSS.

import { useCaseStore, type ThemeChoice } from '../state/case-store';

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<ThemeChoice, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };

export function ThemeToggle() {
  const theme = useCaseStore((s) => s.theme);
  const setTheme = useCaseStore((s) => s.setTheme);
  return (
    <button type="button" className="theme-toggle" onClick={() => setTheme(NEXT[theme])} title="Switch between light, dark and the system theme">
      {LABEL[theme]}
    </button>
  );
}
