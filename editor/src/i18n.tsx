import { Anchor } from '@mantine/core';
import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { en, type TextKey } from './locales/en';
import { zh } from './locales/zh';

export type { TextKey } from './locales/en';
export type Language = 'en' | 'zh';

const STORED = 'assetflow.language';
const htmlLang = (language: Language) => (language === 'zh' ? 'zh-CN' : 'en');

/** The person's choice, kept in the browser; else the browser's language (Chinese or English). */
function initialLanguage(): Language {
  const stored = localStorage.getItem(STORED);
  if (stored === 'en' || stored === 'zh') return stored;
  return navigator.language.startsWith('zh') ? 'zh' : 'en';
}

// One i18next instance for the app. Keys are flat (`timer_cold-tier`, not nested), so neither `.`
// nor `:` separates anything; React escapes what it renders, so i18next does not.
void i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, zh: { translation: zh } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = htmlLang(i18next.language as Language);
i18next.on('languageChanged', (language) => {
  document.documentElement.lang = htmlLang(language as Language);
});

/** The current language and a way to change it (remembered in the browser). */
export function useLanguage(): { language: Language; setLanguage(l: Language): void } {
  const { i18n } = useTranslation();
  return {
    language: (i18n.resolvedLanguage ?? 'en') as Language,
    setLanguage: (l) => {
      localStorage.setItem(STORED, l);
      void i18n.changeLanguage(l);
    },
  };
}

/**
 * `t('library')` in the current language; a page re-renders when the language changes. The
 * function is i18next's own, the same one until the language changes (it can be a dependency).
 */
export function useT(): (key: TextKey) => string {
  return useTranslation().t;
}

/** The button switching English ⇄ Chinese; it reads the other language's name (`中文`, `English`). */
export function LanguageToggle() {
  const t = useT();
  const { language, setLanguage } = useLanguage();
  return (
    <Anchor component="button" type="button" onClick={() => setLanguage(language === 'en' ? 'zh' : 'en')}>
      {t('language')}
    </Anchor>
  );
}
