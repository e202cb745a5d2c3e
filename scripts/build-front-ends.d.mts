export declare const REPO_ROOT: string;
export declare function buildFrontEnds(opts?: { names?: ('exam' | 'console')[]; force?: boolean; quiet?: boolean }): void;
