/**
 * A page that throws while rendering shows a message in both languages and a way on, never a blank
 * screen. Bilingual on purpose: the language context may be what failed. Keyed by the address in
 * main.tsx, so moving to another page starts afresh.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';

type State = { failed: boolean };

export class ErrorBoundary extends Component<{ children: ReactNode; home?: string; inMain?: boolean }, State> {
  state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('page failed to render', error, info.componentStack);
  }

  render() {
    if (!this.state.failed) return this.props.children;
    const home = this.props.home ?? '/';
    const message = (
        <div role="alert" className="page-error">
          <h1 className="page-title">页面显示出错 <span lang="en">· This page could not be shown</span></h1>
          <p>很抱歉，页面出现错误，您的数据没有丢失。请刷新页面重试；如仍出现，请联系工作人员。</p>
          <p lang="en">Sorry, something went wrong on this page; nothing you saved is lost. Reload to try again, and tell the staff if it happens again.</p>
          <p>
            <button type="button" className="big-button" onClick={() => window.location.reload()}>刷新页面 <span lang="en">Reload</span></button>{' '}
            <a href={home}>返回首页 <span lang="en">Home</span></a>
          </p>
        </div>
    );
    // inside the page frame (the top bar stays) or, when the frame itself failed, as the whole page
    return this.props.inMain ? message : <main id="main" className="app-main" tabIndex={-1}>{message}</main>;
  }
}
