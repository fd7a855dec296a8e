// Public entry of the data layer: the dataset contract, built-in datasets, import,
// tokenizer, splits and preparation. Everything here runs in Node, the page and workers
// (createDecoderPool needs a browser to do its work; pngDecoder does not).
export * from './types.ts';
export { prepareDataset, DEFAULT_SPLIT, IMAGE_SIZE_RANGE, type PrepareOptions } from './prepare.ts';
export { makeSplits, kFoldSplits } from './splits.ts';
export { tokenize, buildVocabulary, encode, decode, tokenIndex, normaliseText, DEFAULT_TOKENIZER, type Encoded } from './tokenizer.ts';
export { imageToTensor, tensorToImage, checkImageBytes, sniffImageFormat, IMAGE_EXTENSIONS } from './image.ts';
export { generateShapes, kindInfo, modalityOracle, caption, QUESTION_KINDS, DIFFICULTY, type ShapesOptions, type ShapesDataset, type ShapesKind, type QuestionKind, type Difficulty, type KindInfo } from './shapes.ts';
export { loadOpenMoji, openMojiExamples, OPENMOJI_ATTRIBUTION, OPENMOJI_LICENSE, OPENMOJI_LICENSE_URL, OPENMOJI_URL, type OpenMojiMeta, type OpenMojiOptions, type OpenMojiTask } from './openmoji.ts';
export { planImport, loadImport, summarisePlan, readTarget, ImportError, TASK_FOR_TARGET, type ImportPlan, type PlanSummary, type ImportResult, type ImportProgress, type LoadOptions, type Layout } from './importer.ts';
export { fileFromBytes, fileFromFileLike, toImportFile, collectFiles, expandZip, resolvePath, DEFAULT_LIMITS, formatBytes, type ImportFile, type ImportInput, type FileLike, type ImportLimits } from './files.ts';
export { parseManifest, guessMapping, manifestFormat, type ColumnMapping, type TargetKind, type ParsedManifest } from './manifest.ts';
export { createDecoderPool, decodeWithCanvas, pngDecoder, type ImageDecoder, type DecoderPool } from './decode.ts';
export { reportToCsv, ISSUE_CODES, countIssues, emptyReport, type IssueCode } from './report.ts';
export { decodeText } from './text.ts';
export { decodePng } from './png.ts';
