import '@xyflow/react/dist/style.css';
import './styles.css';
import { createRoot } from 'react-dom/client';
import { App } from './app';
// Starts i18next in the person's language before the first render.
import './i18n';

createRoot(document.getElementById('root')!).render(<App />);
