import { GroupDetail } from '@/features/company-groups/components/group-detail';

export default async function CompanyGroupPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <GroupDetail id={id} />;
}
