import { createContext, type ReactNode, useContext, useState } from 'react';

/** Every word the app shows, in English and Chinese. */
const TEXT = {
  en: {
    appName: 'Assetflow',
    library: 'Library',
    inbox: 'Approvals',
    rules: 'Rule editor',
    signIn: 'Sign in',
    signOut: 'Sign out',
    email: 'E-mail',
    password: 'Password',
    search: 'Search',
    searchPlaceholder: 'e.g. red posters from last Spring Festival',
    understood: 'Understood as',
    noResults: 'Nothing found.',
    upload: 'Upload',
    uploads: 'Uploads',
    dropHere: 'Drop files here, or choose them',
    similarTo: 'Similar to an existing asset',
    versions: 'Versions',
    comments: 'Comments',
    timeline: 'Timeline',
    shares: 'Share links',
    trail: 'Trail',
    frozen: 'Frozen',
    requestDownload: 'Request a download',
    audience: 'Audience',
    rendition: 'Rendition',
    request: 'Request',
    download: 'Download',
    pending: 'Waiting for approval',
    approve: 'Approve',
    reject: 'Reject',
    reason: 'Reason',
    requester: 'Requester',
    deadline: 'Deadline',
    rule: 'Rule',
    nothingPending: 'Nothing waits for you.',
    addComment: 'Add comment',
    send: 'Send',
    palette: 'Nodes',
    inspector: 'Settings',
    problems: 'Problems',
    noProblems: 'No problems.',
    publish: 'Publish',
    published: 'Published version',
    flow: 'Flow',
    addFlow: 'Add flow',
    newRuleSet: 'New rule set',
    ruleSet: 'Rule set',
    trigger: 'Trigger',
    withheld: 'Withheld',
    aiFilled: 'Filled by AI',
    restoring: 'The original is coming back from cold storage; you will be notified when it is ready.',
    startFlow: 'Start flow',
    flowStarted: 'Started',
    requesterMayApprove: 'Requester may approve',
    reviewerMayApproveTwice: 'One reviewer may approve several steps',
    reviewerRoles: 'Reviewer roles',
    reviewerUsers: 'Reviewer users',
    quorum: 'Quorum',
    condition: 'Condition',
    outcome: 'Outcome',
    action: 'Action',
    selectNode: 'Select a node to edit it.',
    changes: 'Changes against the published version',
    history: 'History',
    language: '中文',
    create: 'Create',
    name: 'Name',
    state: 'State',
    open: 'Open',
  },
  zh: {
    appName: 'Assetflow',
    library: '素材库',
    inbox: '审批',
    rules: '规则编辑器',
    signIn: '登录',
    signOut: '退出',
    email: '邮箱',
    password: '密码',
    search: '搜索',
    searchPlaceholder: '例如：去年春节的红色主题海报',
    understood: '理解为',
    noResults: '没有找到。',
    upload: '上传',
    uploads: '上传列表',
    dropHere: '把文件拖到这里，或选择文件',
    similarTo: '与已有素材相似',
    versions: '版本',
    comments: '评论',
    timeline: '时间线',
    shares: '分享链接',
    trail: '分发记录',
    frozen: '已冻结',
    requestDownload: '申请下载',
    audience: '受众',
    rendition: '规格',
    request: '申请',
    download: '下载',
    pending: '等待审批',
    approve: '批准',
    reject: '驳回',
    reason: '理由',
    requester: '申请人',
    deadline: '截止',
    rule: '规则',
    nothingPending: '没有待办审批。',
    addComment: '添加评论',
    send: '发送',
    palette: '节点',
    inspector: '设置',
    problems: '问题',
    noProblems: '没有问题。',
    publish: '发布',
    published: '已发布版本',
    flow: '流程',
    addFlow: '添加流程',
    newRuleSet: '新建规则集',
    ruleSet: '规则集',
    trigger: '触发',
    withheld: '暂停分发',
    aiFilled: 'AI 填写',
    restoring: '原图正在从冷存储取回，就绪后会通知你。',
    startFlow: '启动流程',
    flowStarted: '已启动',
    requesterMayApprove: '申请人可自行审批',
    reviewerMayApproveTwice: '同一审批人可审批多个步骤',
    reviewerRoles: '审批角色',
    reviewerUsers: '审批人',
    quorum: '通过条件',
    condition: '条件',
    outcome: '结果',
    action: '动作',
    selectNode: '选择一个节点以编辑。',
    changes: '与已发布版本的差异',
    history: '历史',
    language: 'English',
    create: '创建',
    name: '名称',
    state: '状态',
    open: '打开',
  },
} as const;

export type Language = keyof typeof TEXT;
export type TextKey = keyof (typeof TEXT)['en'];

const LanguageContext = createContext<{ language: Language; setLanguage(l: Language): void }>({
  language: 'en',
  setLanguage: () => {},
});

export function LanguageProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(
    () =>
      (localStorage.getItem('assetflow.language') as Language | null) ??
      (navigator.language.startsWith('zh') ? 'zh' : 'en'),
  );
  const setLanguage = (l: Language) => {
    localStorage.setItem('assetflow.language', l);
    document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
    setLanguageState(l);
  };
  return <LanguageContext.Provider value={{ language, setLanguage }}>{children}</LanguageContext.Provider>;
}

function useLanguage() {
  return useContext(LanguageContext);
}

/** `t('library')` in the current language. */
export function useT(): (key: TextKey) => string {
  const { language } = useLanguage();
  return (key) => TEXT[language][key];
}

/** The button switching English ⇄ Chinese; it reads the other language's name (`中文`, `English`). */
export function LanguageToggle() {
  const t = useT();
  const { language, setLanguage } = useLanguage();
  return (
    <button type="button" className="link" onClick={() => setLanguage(language === 'en' ? 'zh' : 'en')}>
      {t('language')}
    </button>
  );
}
