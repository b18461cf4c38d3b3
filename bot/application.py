"""Builds the PTB Application: one builder chain, lifecycle hooks, one registration block."""

from __future__ import annotations

import logging
from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.core.answering import Answerer
from bot.core.content import ContentStore
from bot.db.engine import create_engine, migrate, session_factory
from bot.handlers import browse, commands, errors, questions, users
from bot.handlers.context import SERVICES_KEY, services_in
from bot.services import Services

log = logging.getLogger(__name__)

# PTB's generics (bot, context, user/chat/bot data, job queue) are the defaults throughout.
LegworkApp = Application[Any, Any, Any, Any, Any, Any]


async def post_init(app: LegworkApp) -> None:
    """Open what the bot needs before the first update: the database, then the command menu."""
    svc = services_of(app)
    svc.engine = create_engine(svc.database_url)
    await migrate(svc.engine)
    svc.sessions = session_factory(svc.engine)
    await app.bot.set_my_commands(commands.COMMANDS)
    log.info("Legwork is up as @%s", app.bot.username)


async def post_shutdown(app: LegworkApp) -> None:
    svc = services_of(app)
    if svc.engine is not None:
        await svc.engine.dispose()
        svc.engine = None
        svc.sessions = None


def services_of(app: LegworkApp) -> Services:
    return services_in(app.bot_data)


def register_handlers(app: LegworkApp) -> None:
    # Group -1 runs first for every update and never stops the others: remember the user.
    app.add_handler(TypeHandler(Update, users.track_user), group=-1)

    # Commands, in private chats and groups alike.
    app.add_handler(CommandHandler("start", commands.start))
    app.add_handler(CommandHandler("help", commands.help_command))
    app.add_handler(CommandHandler("exercises", commands.exercises))

    # Buttons of the welcome message, the exercise browser and answers.
    app.add_handler(CallbackQueryHandler(browse.on_button))

    # Free-text questions; in groups the handler itself checks for a mention or a reply.
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, questions.on_text))

    # A command we do not have, in a private chat: point to the ones we do.
    app.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, questions.on_unknown_command)
    )

    # Anything else in a private chat (stickers, photos, voice): say what we understand.
    app.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL,
            questions.on_unsupported,
        )
    )

    app.add_error_handler(errors.on_error)


def build_application(
    *,
    token: str,
    base_url: str,
    store: ContentStore,
    database_url: str,
    base_file_url: str,
) -> LegworkApp:
    app: LegworkApp = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_file_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        # Stays under Telegram's flood limits and retries a 429 after its retry_after.
        .rate_limiter(AIORateLimiter(max_retries=3))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.bot_data[SERVICES_KEY] = Services(
        store=store, answerer=Answerer(store), database_url=database_url
    )
    register_handlers(app)
    return app


async def start_polling(app: LegworkApp, *, poll_timeout: int = 10) -> None:
    """Run the Application inside an already running event loop (offline chat, tests, benches);
    ``run_polling`` owns the loop and signals, so it is only for the real process. Like
    ``run_polling`` it calls post_init and post_shutdown, which PTB leaves to the runner."""
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(
        poll_interval=0.0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
    )


async def stop_polling(app: LegworkApp) -> None:
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)
