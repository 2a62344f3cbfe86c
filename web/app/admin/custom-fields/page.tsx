import { NotBuilt } from '@/shell/not-built';

export default function Page() {
  return <NotBuilt area="customFields" />;
}
