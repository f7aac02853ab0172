import '@mantine/core/styles.css';
import { MantineProvider } from '@mantine/core';
import { setNonce } from 'get-nonce';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { cssVariablesResolver, theme } from './theme.ts';

// The server's CSP allows styles from our files and from <style> elements that carry this page's
// nonce: Mantine writes its theme variables in one.
const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';
// The modal's scroll lock (react-remove-scroll) writes a <style> element of its own: the same nonce.
setNonce(nonce);

const root = document.getElementById('root');
if (!root) throw new Error('the page has no #root element');
createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} getStyleNonce={() => nonce} defaultColorScheme="light">
      <App />
    </MantineProvider>
  </StrictMode>,
);
