import { Users } from "@/components/admin/users";
import { adminPage } from "@/lib/auth/admin-page";
import { listUsers } from "@/lib/auth/users";

export default adminPage({ adminOnly: true }, async (user) => {
  const users = await listUsers(user.companyId);
  return (
    <>
      <h1>Users</h1>
      <Users me={user.id} users={users} />
    </>
  );
});
