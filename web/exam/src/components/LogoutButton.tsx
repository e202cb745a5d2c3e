/** 退出登录 at the end of a screen that leaves the exam (handed in, replaced, waiting for a switch). */
export function LogoutButton(props: { onLogout: () => void }) {
  return (
    <button class="btn" type="button" onClick={props.onLogout} data-testid="logout">
      退出登录
    </button>
  );
}
