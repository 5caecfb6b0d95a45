export * from './engineio'
export * from './socketio'
export * from './jsonText'
