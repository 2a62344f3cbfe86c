import { GroupList } from '@/features/company-groups/components/group-list';

export default function CompanyGroupsPage() {
  return <GroupList />;
}
