import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { t } from './i18n.js';

/**
 * Copies `text`. Without the clipboard API (a page served over plain HTTP from another host is
 * not a secure context) it selects a hidden copy and asks the browser to copy that. "Copied"
 * lasts two seconds: the text may change live after it.
 */
export function Copy({ text }) {
  const [done, setDone] = useState(false);
  const copied = () => (setDone(true), setTimeout(() => setDone(false), 2_000));
  const copy = () => {
    if (navigator.clipboard) return navigator.clipboard.writeText(text).then(copied, fallback);
    fallback();
  };
  const fallback = () => {
    const area = Object.assign(document.createElement('textarea'), { value: text });
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    if (ok) copied();
  };
  return html`<button onClick=${copy}>${done ? t('copied') : t('copy')}</button>`;
}
