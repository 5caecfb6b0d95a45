import type en from '../en/sending'
import type { Translation } from '../../catalogue'

/** 한국어: sending. */
export default {
  variables: {
    title: '변수',
    hint: '메시지, 이벤트 이름이나 인수에 {example}처럼 쓰면 보낼 때 값으로 바뀝니다. 한 번 보낼 때 변수마다 값은 하나입니다. {open}를 글자 그대로 쓰려면 {escape}라고 쓰세요.',
    builtInTitle: '기본 변수',
    builtIn: {
      now: '현재 시각, 1970년부터의 ms (epoch ms)',
      iso: '현재 시각, UTC 기준 ISO 8601',
      uuid: '무작위 UUID (crypto.randomUUID)',
      counter: '이 세션에서 몇 번째 전송인지: 처음 1, 보낼 때마다 1씩 증가 (새로고침하면 1부터 다시)',
      random: '0부터 2147483647 (2^31 − 1)까지의 무작위 정수',
    },
    session: '이 세션',
    global: '모든 세션 (이 브라우저에 저장)',
    precedence: '이름이 같으면 이 세션의 변수가 모든 세션의 변수보다 우선합니다. 값은 그대로 들어가며 다시 치환되지 않습니다.',
    name: '변수 {n}의 이름',
    value: '변수 {n}의 값',
    namePlaceholder: '이름',
    valuePlaceholder: '값',
    add: '변수 추가',
    remove: '변수 {n} 삭제',
    invalidName: '이름은 글자, 숫자, _, -, . 로 쓰며 숫자로 시작할 수 없고, 기본 변수 이름은 쓸 수 없습니다.',
    none: '아직 직접 만든 변수가 없습니다.',
    notSaved: '모든 세션의 변수를 이 브라우저에 저장하지 못했습니다: 페이지를 닫기 전까지만 쓸 수 있습니다.',
    unknown: '보내지 않았습니다: {names}라는 변수가 없습니다. 변수에서 정의하거나, {open}를 글자 그대로 쓰려면 {escape}라고 쓰세요.',
    malformed: '보내지 않았습니다: {found}는 변수가 아닙니다 ({example}처럼 쓰세요). {open}를 글자 그대로 쓰려면 {escape}라고 쓰세요.',
  },
  preview: {
    title: '다음 전송 (변수 치환 후)',
    note: 'counter = {counter}; uuid와 random은 예시이며 실제 전송마다 새 값이 들어갑니다',
    event: '이벤트',
    argument: '인수 {n}',
    more: '… (글자 {n}개 더)',
  },
  repeat: {
    count: '반복 횟수',
    every: '반복 간격 (ms)',
    start: '반복',
    stop: '반복 중지',
    progress: '{done} / {total}',
    hint: '반복 중지를 누르거나, 연결이 끊기거나, 탭을 닫거나, 전송이 한 번이라도 실패하면 멈춥니다.',
    ended: {
      done: '반복 완료: {done} / {total}.',
      stopped: '반복을 {done} / {total}에서 멈췄습니다.',
      disconnected: '반복을 {done} / {total}에서 멈췄습니다: 연결이 더 이상 열려 있지 않습니다.',
      closed: '반복을 {done} / {total}에서 멈췄습니다: 탭이 닫혔습니다.',
      error: '반복을 {done} / {total}에서 멈췄습니다: 전송이 실패했습니다.',
    },
    confirm: {
      title: '반복 확인',
      many: '메시지를 {total}번 보냅니다.',
      fast: '간격이 1 ms 미만이면 브라우저가 할 수 있는 한 빠르게, 짧은 묶음으로 보냅니다.',
      question: '계속할까요?',
      proceed: '계속',
      cancel: '취소',
    },
  },
  history: {
    button: '기록',
    title: '이 세션에서 보낸 메시지, 최신순',
    empty: '이 세션에서 아직 보낸 메시지가 없습니다.',
    hint: '메시지가 비어 있을 때 위/아래 화살표로 불러옵니다.',
    event: '{name}: {text}',
  },
} satisfies Translation<typeof en>
