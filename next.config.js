/**
 * Next.js configuration for the twinboard dashboard.
 *
 * The Azure IoT SDKs, the MQTT broker and the SQLite binding load optional transports, native addons and
 * files at run time; bundling them breaks those lookups, so the server requires them from node_modules.
 * PostCSS (Tailwind 4) is configured in package.json's "postcss" field.
 */

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // An isolated build directory lets the browser tests build without touching a developer's `.next`.
  distDir: process.env.TWINBOARD_NEXT_DIST_DIR || '.next',
  // `npm run typecheck` checks the whole project; the browser tests skip the second pass inside the build.
  typescript: {
    ignoreBuildErrors: process.env.TWINBOARD_SKIP_BUILD_TYPECHECK === '1',
    // Next adds its distDir's type folders to the tsconfig it uses; a separate build dir gets its own file.
    ...(process.env.TWINBOARD_NEXT_TSCONFIG ? { tsconfigPath: process.env.TWINBOARD_NEXT_TSCONFIG } : {}),
  },
  serverExternalPackages: [
    'azure-iothub',
    'azure-iot-common',
    'azure-iot-http-base',
    'azure-iot-device',
    'azure-iot-device-mqtt',
    'azure-iot-mqtt-base',
    'rhea',
    'mqtt',
    'better-sqlite3',
    'aedes',
    'aedes-persistence',
    'mqemitter',
    'selfsigned',
    'close-with-grace',
  ],
};

export default nextConfig;
