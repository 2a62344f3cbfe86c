import { NotBuilt } from '@/shell/not-built';
import { placeholderServices } from '@/shell/nav';

// Only the listed services whose section has no page yet (web/src/shell/nav.ts); any other path is a 404.
export const dynamicParams = false;
export const generateStaticParams = () => placeholderServices.map((area) => ({ area }));

/** The page of a listed service whose navigation section has no page yet. */
export default async function ServicePlaceholderPage({ params }: { params: Promise<{ area: string }> }) {
  const { area } = await params;
  return <NotBuilt area={area} />;
}
