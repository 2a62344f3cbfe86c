import { portalConfigFromEnv } from '@/config/portal-config';

// Read at request time so one build serves every environment.
export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json(portalConfigFromEnv(), { headers: { 'Cache-Control': 'no-store' } });
}
