import './layers.css';
import '@mantine/core/styles.layer.css';
import '@mantine/notifications/styles.layer.css';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { createTheme, MantineProvider, Modal } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { createRoot } from 'react-dom/client';
import { App } from './app';
// Starts i18next in the person's language before the first render.
import './i18n';

// The page's CSP allows style sheets from this origin only, so Mantine's two inline <style> elements
// (its CSS variables and responsive classes) are turned off: the default theme's variables come
// with its style sheet (ours are set in styles.css), and no component used here needs the
// responsive classes.
const theme = createTheme({
  components: {
    // Locking the page's scroll behind a dialog injects a <style> element, which the CSP refuses.
    Modal: Modal.extend({ defaultProps: { lockScroll: false } }),
  },
});

createRoot(document.getElementById('root')!).render(
  <MantineProvider theme={theme} withCssVariables={false} withGlobalClasses={false} forceColorScheme="light">
    <ModalsProvider>
      <Notifications position="top-right" />
      <App />
    </ModalsProvider>
  </MantineProvider>,
);
