"""A python-socketio 5 server on aiohttp, for the interoperability tests (Debian's python3-socketio, python3-aiohttp).

Run with /usr/bin/python3. It listens on 127.0.0.1 at a free port and prints `LISTENING <port>` once it accepts
connections; the test that started it kills it afterwards.

    --mode full            cors_allowed_origins='*', polling and websocket
    --mode websocket-only  cors_allowed_origins='*', transports=['websocket'] (answers polling 400 "Invalid transport")
    --mode default-cors    AsyncServer(async_mode='aiohttp') as written in most tutorials: refuses foreign origins

Events (every mode), in the default namespace:
    joinRoom(room)            joins, announces `joined` {room, sid} to the room, acks {"joined": room}
    message({room, message})  sends `message` with the plain message to the others in the room
    echo(*args)               acks with the same arguments
Namespace /admin needs auth {"token": "letmein"}; otherwise connect_error "unauthorized" with data {"reason": ...}.
    whoami()                  acks {"sid": ..., "namespace": "/admin"}
"""
import argparse
import asyncio
import sys

import socketio
from aiohttp import web


def build(mode):
    if mode == 'default-cors':
        sio = socketio.AsyncServer(async_mode='aiohttp')
    elif mode == 'websocket-only':
        sio = socketio.AsyncServer(async_mode='aiohttp', cors_allowed_origins='*', transports=['websocket'])
    else:
        sio = socketio.AsyncServer(async_mode='aiohttp', cors_allowed_origins='*')

    @sio.event
    async def joinRoom(sid, room):
        sio.enter_room(sid, room)
        await sio.emit('joined', {'room': room, 'sid': sid}, room=room)
        return {'joined': room}

    @sio.event
    async def message(sid, data):
        if isinstance(data, dict) and 'room' in data:
            await sio.emit('message', data.get('message'), room=data['room'], skip_sid=sid)

    @sio.event
    async def echo(sid, *args):
        return args

    @sio.on('connect', namespace='/admin')
    async def admin_connect(sid, environ, auth):
        if not isinstance(auth, dict) or auth.get('token') != 'letmein':
            raise socketio.exceptions.ConnectionRefusedError('unauthorized', {'reason': 'token required'})

    @sio.on('whoami', namespace='/admin')
    async def whoami(sid, *args):
        return {'sid': sid, 'namespace': '/admin'}

    return sio


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--mode', default='full', choices=['full', 'websocket-only', 'default-cors'])
    parser.add_argument('--path', default='socket.io')
    args = parser.parse_args()
    sio = build(args.mode)
    app = web.Application()
    sio.attach(app, socketio_path=args.path)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, '127.0.0.1', 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    print(f'LISTENING {port}', flush=True)
    await asyncio.Event().wait()


if __name__ == '__main__':
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
