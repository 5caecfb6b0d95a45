import type en from '../en/compare'
import type { Translation } from '../../catalogue'

/** 한국어: compare. */
export default {
  picker: {
    open: '나란히 보기',
    title: '두 개 이상의 세션을 하나의 시간축에서 함께 읽기',
    label: '나란히 볼 세션',
    hint: '두 개 이상 고르세요.',
    tooFew: '나란히 보려면 세션(탭)을 두 개 이상 여세요.',
    show: '비교',
  },
  view: {
    alignStarts: '시작 맞추기',
    alignStartsTitle: '시계 시각이 아니라 각 세션의 첫 이벤트부터 지난 시간으로 배치: 기록과 그 재생이 나란히 맞춰짐',
    writeAs: '이 세션으로 쓰기',
    label: '나란히 보기',
    sessions: '표시 중인 세션',
    back: '한 세션 보기로 돌아가기',
    backTitle: '나란히 보기를 닫고 활성 세션을 표시',
    remove: '{name}을(를) 나란히 보기에서 빼기',
  },
  list: {
    label: '나란히 보기 타임라인',
    empty: '이 세션들에는 아직 이벤트가 없습니다.',
    emptyFiltered: '필터에 맞는 이 세션들의 이벤트가 없습니다.',
    session: '{name}에서',
  },
  detail: {
    from: '{name}의 이벤트',
  },
} satisfies Translation<typeof en>
