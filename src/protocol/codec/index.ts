export * from './engineio'
export * from './socketio'
