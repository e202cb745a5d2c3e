// Ant Design 5 renders a few things outside the tree (the click wave, static
// message/modal) with ReactDOM.render, which React 19 removed. This is the
// documented replacement (https://u.ant.design/v5-for-19), done in place of
// the @ant-design/v5-patch-for-react-19 package.

import { unstableSetRender } from 'antd';
import { createRoot, type Root } from 'react-dom/client';

type Container = (Element | DocumentFragment) & { _kaowuRoot?: Root };

unstableSetRender((node, container) => {
  const c = container as Container;
  c._kaowuRoot ??= createRoot(c);
  const root = c._kaowuRoot;
  root.render(node);
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    root.unmount();
    delete c._kaowuRoot;
  };
});
