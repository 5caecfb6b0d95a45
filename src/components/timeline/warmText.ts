/** Text a row may show, for the rows' warm-up: digits, Latin letters, JSON punctuation. */
export const SAMPLE_TEXT = '0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ {"id":[1,2.5,true,null]} <>=+-_/\\'
