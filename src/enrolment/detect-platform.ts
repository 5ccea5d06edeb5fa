export const PLATFORMS = ['iOS', 'Android', 'Windows', 'macOS', 'ChromeOS', 'Linux', 'Other'] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * The user's platform from the User-Agent, for the funnel's platform split. iPadOS reports itself as a Mac, so an
 * iPad counts as macOS here; the split is for spotting where a flow fails, not for device inventory.
 */
export function detectPlatform(userAgent: string | undefined): Platform {
  const ua = userAgent ?? '';
  if (/iPhone|iPad|iPod/.test(ua)) return 'iOS';
  if (/Android/.test(ua)) return 'Android';
  if (/Windows NT|Windows Phone/.test(ua)) return 'Windows';
  if (/CrOS/.test(ua)) return 'ChromeOS';
  if (/Macintosh|Mac OS X/.test(ua)) return 'macOS';
  if (/Linux|X11/.test(ua)) return 'Linux';
  return 'Other';
}
