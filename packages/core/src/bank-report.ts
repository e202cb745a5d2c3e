/** What a bank import reports, to the CLI and to the console alike. */
export interface BankImportReport {
  certificate: string;
  level: string;
  added: number;
  revised: number;
  unchanged: number;
}

/** One bad entry of a bank file. */
export interface BankProblem {
  /** 1-based line and column in the file, when known. */
  line?: number;
  col?: number;
  /** e.g. questions[3].answer */
  path: string;
  /** The question id, when the problem is inside a question. */
  questionId?: string;
  message: string;
}
