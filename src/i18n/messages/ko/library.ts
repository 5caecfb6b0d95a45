import type en from '../en/library'
import type { Translation } from '../../catalogue'

/** 한국어: library. */
export default {
  progress: {
    reading: '읽는 중',
    checking: '검사 중',
    saving: '저장 중',
    sorting: '정렬 중',
    opening: '여는 중',
    counted: '{phase} {done} / {total}',
    uncounted: '{phase}…',
  },
  timelineImport: {
    button: '타임라인 가져오기',
    fileLabel: '타임라인 파일',
    progressLabel: '파일 가져오기 진행률',
    cancel: '파일 가져오기 취소',
    failed: '{file}: {error}',
    unreadable: '{file}: 읽을 수 없습니다 ({reason}).',
    cancelled: '{file}: 가져오기를 취소했습니다. 아무것도 열지 않았습니다.',
    warnings: '{file}: {warnings}',
    dismissError: '가져오기 오류 닫기',
    dismissWarnings: '가져오기 경고 닫기',
    dismissNotice: '가져오기 알림 닫기',
  },
} satisfies Translation<typeof en>
