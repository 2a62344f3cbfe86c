import type { NextConfig } from 'next';

const config: NextConfig = {
  transpilePackages: ['@kapocs/contracts'],
  // The repo's own `tsc -p web/tsconfig.json` checks types; the build need not do it twice.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  reactStrictMode: true,
  // The portal opens on the company list until the dashboard is built.
  redirects: async () => [{ source: '/', destination: '/companies', permanent: false }],
};

export default config;
