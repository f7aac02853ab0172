import { createTheme, type CSSVariablesResolver, defaultVariantColorsResolver, parseThemeColor, type VariantColorsResolver } from '@mantine/core';

/**
 * Mantine's defaults, changed only where axe measured too little contrast (WCAG AA, 4.5:1):
 * filled colours use shade 8 (white on blue.8 is 5:1, on blue.6 3.6:1); a light badge or alert
 * writes in near-black on its tinted background (a green or yellow shade legible on white does
 * not exist in the palette); dimmed text is gray.7, not gray.6.
 */
const variantColorResolver: VariantColorsResolver = (input) => {
  const base = defaultVariantColorsResolver(input);
  if (input.variant !== 'light') return base;
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  return parsed.isThemeColor ? { ...base, color: 'var(--mantine-color-dark-9)' } : base;
};

export const theme = createTheme({
  primaryShade: { light: 8, dark: 8 },
  variantColorResolver,
});

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});
