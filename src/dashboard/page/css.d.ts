/** Stylesheets imported by the page are bundled by esbuild into its CSS. */
declare module "*.css";
