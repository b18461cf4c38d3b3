"""Builds the PTB Application: one builder chain, lifecycle hooks, one registration block."""

from __future__ import annotations

import asyncio
import gc
import logging
from datetime import timedelta
from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    JobQueue,
    MessageHandler,
    filters,
)

from bot.core.clock import SYSTEM_CLOCK, Clock
from bot.core.content import ContentStore
from bot.db.engine import InstanceLock, autocommit_sessions, migrate, update_slots
from bot.jobs.checkins import CheckinOptions, CheckinSender
from bot.jobs.reminders import DispatcherOptions, ReminderDispatcher
from bot.services.container import Services
from bot.settings import Settings
from bot.telegram.callbacks import (
    BROWSE_BUTTONS,
    LOG_BUTTONS,
    OWN_BUTTONS,
    REMINDER_BUTTONS,
    SETUP_BUTTONS,
    LevelChoice,
    PauseReminders,
    UndoCorrection,
    of_kinds,
)
from bot.telegram.handlers import (
    browse,
    commands,
    corrections,
    errors,
    own_exercises,
    questions,
    reminders,
    season,
    setup,
    workouts,
)
from bot.telegram.handlers.context import CONTEXT_TYPES, SERVICES_KEY, services_in
from bot.telegram.inbox import InboxOptions, InboxService, WebhookOptions
from bot.telegram.inbox.scope import UpdateScope
from bot.telegram.inbox.users import UserMemory
from bot.telegram.send_budget import SharedSendBudget
from bot.telegram.sending import SendLayer
from bot.telegram.transport import AiohttpRequest

log = logging.getLogger(__name__)

# PTB's generics (bot, context, user/chat/bot data, job queue) are the defaults throughout.
LegworkApp = Application[Any, Any, Any, Any, Any, Any]


INBOX_KEY = "inbox"
TRANSPORTS_KEY = "transports"
REMINDERS_KEY = "reminders"
PRUNE_EVERY = timedelta(hours=1)


async def post_init(app: LegworkApp) -> None:
    """Before the first update: the schema, the command menu, then the inbox (which handles
    what a previous run stored but did not handle, then starts polling)."""
    svc = services_of(app)
    await inbox_of(app).claim_database()
    await migrate(svc.engine)
    await app.bot.set_my_commands(commands.COMMANDS)
    await inbox_of(app).start()
    # Periodic work runs on PTB's JobQueue; what is due stays in the database.
    jobs = job_queue_of(app)
    reminders_of(app).schedule(jobs)  # a tick every few seconds; no job per runner
    jobs.run_repeating(_prune_inbox, PRUNE_EVERY, first=60, name="inbox-prune")
    if isinstance(app.bot.rate_limiter, SendLayer) and app.bot.rate_limiter.shared is not None:
        # Each chat's send turn matters for seconds; the table keeps the last minutes' chats.
        jobs.run_repeating(
            _forget_chat_turns, 60, first=60, name="chat-turns-prune",
            data=app.bot.rate_limiter.shared,
        )  # fmt: skip
    log.info("Legwork is up as @%s", app.bot.username)


async def _prune_inbox(context: Any) -> None:
    try:
        await inbox_of(context.application).processor.prune_old()
    except Exception:  # the database is away: the next run tries again
        log.exception("Pruning the inbox failed")


async def _forget_chat_turns(context: Any) -> None:
    shared: SharedSendBudget = context.job.data
    try:
        await shared.forget_old_turns()
    except Exception:  # the database is away: the next run tries again
        log.exception("Forgetting old chat send turns failed")


def job_queue_of(app: LegworkApp) -> JobQueue[Any]:
    if app.job_queue is None:  # the job-queue extra is a dependency (pyproject.toml)
        raise RuntimeError("PTB's JobQueue is missing: install python-telegram-bot[job-queue]")
    return app.job_queue


async def post_stop(app: LegworkApp) -> None:
    """Stop fetching, finish the updates being handled; the bot can still send meanwhile."""
    await reminders_of(app).stop()  # a send in flight finishes and is confirmed
    await inbox_of(app).stop()


async def post_shutdown(app: LegworkApp) -> None:
    await services_of(app).engine.dispose()


def services_of(app: LegworkApp) -> Services:
    return services_in(app.bot_data)


def inbox_of(app: LegworkApp) -> InboxService:
    found = app.bot_data[INBOX_KEY]
    assert isinstance(found, InboxService)
    return found


def reminders_of(app: LegworkApp) -> ReminderDispatcher:
    found = app.bot_data[REMINDERS_KEY]
    assert isinstance(found, ReminderDispatcher)
    return found


def register_handlers(app: LegworkApp) -> None:
    # Every update runs in the inbox's transaction (context.session) after the user was
    # remembered (bot/telegram/inbox/users.py, called by the inbox processor, not a handler).

    # A text answering a question of the reminder set-up (its state is in the database) is
    # taken as the answer and stops there; any other text passes on untouched.
    app.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, setup.on_text_step
        ),
        group=-1,
    )

    # Commands, in private chats and groups alike.
    app.add_handler(CommandHandler("start", commands.start))
    app.add_handler(CommandHandler("help", commands.help_command))
    app.add_handler(CommandHandler("exercises", commands.exercises))

    # Training log (handlers/workouts.py): undo, history, stats, chart, CSV, erase my data.
    app.add_handler(CommandHandler("undo", workouts.undo))
    app.add_handler(CommandHandler("history", workouts.history))
    app.add_handler(CommandHandler("stats", workouts.stats))
    app.add_handler(CommandHandler("progress", workouts.progress))
    app.add_handler(CommandHandler("export", workouts.export))
    app.add_handler(CommandHandler("deletedata", workouts.delete_data))
    # The runner's own exercises (handlers/own_exercises.py): list, rename, delete.
    app.add_handler(CommandHandler("myexercises", own_exercises.my_exercises))

    # Training plan and reminders (bot/telegram/handlers/reminders.py, setup.py).
    app.add_handler(CommandHandler("remind", reminders.remind))
    app.add_handler(CommandHandler("timezone", reminders.timezone))
    app.add_handler(CommandHandler("pause", reminders.pause))
    app.add_handler(CommandHandler("resume", reminders.resume))
    app.add_handler(CommandHandler("stop", reminders.stop))
    app.add_handler(CommandHandler("plan", season.plan))
    app.add_handler(CommandHandler("today", reminders.today))
    app.add_handler(CommandHandler("cancel", setup.cancel))
    # The season (handlers/season.py): goal race, hard run days, level, weekly check-in.
    app.add_handler(CommandHandler("race", season.race))
    app.add_handler(CommandHandler("hardruns", season.hard_runs))
    app.add_handler(CommandHandler("level", season.level))
    app.add_handler(CommandHandler("weekly", season.weekly))
    app.add_handler(CallbackQueryHandler(season.on_level_button, pattern=of_kinds(LevelChoice)))
    # Reminder buttons (Done, Skip, Snooze, how-to) and the set-up's buttons.
    app.add_handler(
        CallbackQueryHandler(reminders.on_session_button, pattern=of_kinds(*REMINDER_BUTTONS))
    )
    app.add_handler(CallbackQueryHandler(setup.on_button, pattern=of_kinds(*SETUP_BUTTONS)))
    app.add_handler(
        CallbackQueryHandler(reminders.on_pause_button, pattern=of_kinds(PauseReminders))
    )

    # Training log buttons: Undo under a confirmation, history pages, delete my data.
    app.add_handler(CallbackQueryHandler(workouts.on_button, pattern=of_kinds(*LOG_BUTTONS)))
    # The own-exercise ask (Yes / No) and /myexercises' Delete buttons.
    app.add_handler(CallbackQueryHandler(own_exercises.on_button, pattern=of_kinds(*OWN_BUTTONS)))
    app.add_handler(CallbackQueryHandler(corrections.on_undo, pattern=of_kinds(UndoCorrection)))

    # Buttons of the welcome message, the exercise browser and answers; then anything else
    # (stale or forged data): "This button is no longer valid" (bot/telegram/callbacks.py).
    app.add_handler(CallbackQueryHandler(browse.on_button, pattern=of_kinds(*BROWSE_BUTTONS)))
    app.add_handler(CallbackQueryHandler(browse.on_invalid))

    # "remind me every weekday at 7am", "stop reminding me": the core parser decides, so a
    # question still reaches the question handler below. Private chats only: reminders are
    # personal, and group chatter is not addressed to the bot.
    app.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND & reminders.REMINDER_REQUEST,
            reminders.on_reminder_text,
        )
    )

    # An edited message: its log follows it; an edited question is answered again.
    app.add_handler(
        MessageHandler(
            filters.UpdateType.EDITED_MESSAGE & filters.TEXT & ~filters.COMMAND, workouts.on_edit
        )
    )
    # "actually i only did 2 sets of the RDLs": the last log of that exercise changes.
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE
            & filters.TEXT
            & ~filters.COMMAND
            & corrections.CorrectionFilter(services_of(app).corrections),
            corrections.on_correction,
        )
    )
    # Workout reports ("4x10 lunges @ 20kg", "done"): the report parser decides, so questions
    # still reach the question handler below. In groups only messages addressed to the bot.
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE
            & filters.TEXT
            & ~filters.COMMAND
            & workouts.ReportFilter(services_of(app).parser),
            workouts.on_report,
        )
    )

    # "ran 10k": runs are not logged here; a friendly line rather than "I can't help".
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND & workouts.RUN_REPORT,
            workouts.on_run,
        )
    )

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
    settings: Settings | None = None,
    clock: Clock = SYSTEM_CLOCK,
    poll_timeout: int = 10,
) -> LegworkApp:
    """The Application, its services and its inbox; ``settings`` defaults to the defaults."""
    tuning = settings if settings is not None else Settings.model_construct()
    send_layer = SendLayer(
        per_second=tuning.send_rate_per_second,
        per_chat=tuning.send_rate_per_chat,
        max_retries=tuning.send_max_retries,
    )
    transports = (AiohttpRequest(connection_pool_size=64), AiohttpRequest(connection_pool_size=1))
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
        # Every call but getUpdates: flood limits, priorities, retries (bot/telegram/sending.py).
        .rate_limiter(send_layer)
        # aiohttp with JSON bodies: a fifth of the CPU of PTB's httpx transport per call
        # (bot/telegram/transport.py); getUpdates (the inbox's long poll) has its own connection.
        .request(transports[0])
        .get_updates_request(transports[1])
        # The inbox fetches updates itself (bot/telegram/inbox): PTB's Updater would confirm them to
        # Telegram before they are stored.
        .updater(None)
        .context_types(CONTEXT_TYPES)
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.bot_data[TRANSPORTS_KEY] = transports
    services = Services.build(store, database_url, clock)
    app.bot_data[SERVICES_KEY] = services
    sessions = services.sessions
    options = InboxOptions(
        max_attempts=tuning.inbox_max_attempts,
        concurrency=update_slots(services.engine),
        retention=timedelta(hours=tuning.inbox_retention_hours),
        poll_timeout=poll_timeout,
        allowed_updates=Update.ALL_TYPES,
        webhook=webhook_options(tuning),
    )
    memory = UserMemory(clock, sessions)
    send_layer.on_blocked = memory.blocked
    lock = InstanceLock(services.engine)
    if lock.shared:  # several instances may send: one budget for all of them
        send_layer.shared = SharedSendBudget(
            autocommit_sessions(services.engine), tuning.send_rate_per_second
        )

    async def apologise(update: Update | None, scope: UpdateScope, error: BaseException) -> None:
        await errors.apologise(app.bot, update, scope, error)

    app.bot_data[INBOX_KEY] = InboxService(
        app, sessions, clock, options, lock, memory.remember, memory.blocked, apologise,
        ready_to_send=send_layer.chat_ready,
    )  # fmt: skip
    app.bot_data[REMINDERS_KEY] = ReminderDispatcher(
        app.bot,
        sessions,
        clock,
        services.training,
        DispatcherOptions(grace=timedelta(minutes=tuning.reminder_grace_minutes)),
        checkins=CheckinSender(
            app.bot,
            sessions,
            clock,
            services.season,
            store,
            CheckinOptions(grace=timedelta(minutes=tuning.reminder_grace_minutes)),
        ),
    )
    register_handlers(app)
    return app


def webhook_options(settings: Settings) -> WebhookOptions | None:
    """Webhook mode when WEBHOOK_URL is set (the settings require WEBHOOK_SECRET with it)."""
    if settings.webhook_url is None or settings.webhook_secret is None:
        return None
    host, port = settings.webhook_bind
    return WebhookOptions(
        url=settings.webhook_url,
        path=settings.webhook_path,
        secret=settings.webhook_secret.get_secret_value(),
        host=host,
        port=port,
    )


async def start_polling(app: LegworkApp) -> None:
    """Start the Application and its inbox inside a running event loop (the real process via
    ``serve``, the offline chat, tests, benches). PTB leaves post_init/post_stop/post_shutdown
    to the runner, so this calls them."""
    try:
        await app.initialize()
    except BaseException:
        # PTB shuts its transports down only once initialized; getMe failing (Telegram
        # unreachable, a bad token) leaves them open otherwise.
        for transport in app.bot_data[TRANSPORTS_KEY]:
            await transport.shutdown()
        raise
    try:
        await app.start()
        if app.post_init is not None:
            await app.post_init(app)
    except BaseException:
        await stop_polling(app)
        raise


async def stop_polling(app: LegworkApp) -> None:
    """Stop fetching, let the updates in hand finish, then close everything."""
    if app.running:
        # Before app.stop(), which waits for running jobs: a fan-out stops after its sends in
        # hand instead of running to its end.
        await reminders_of(app).stop()
        await app.stop()
        if app.post_stop is not None:
            await app.post_stop(app)
    await app.shutdown()  # returns at once when initialize() never completed
    if app.post_shutdown is not None:
        await app.post_shutdown(app)


async def serve(app: LegworkApp, stop: asyncio.Event) -> None:
    """Run until ``stop`` is set (the real process sets it on SIGTERM/SIGINT)."""
    await start_polling(app)
    # What start-up built (the content store, modules, compiled statements) lives as long as
    # the process. Frozen, it is left out of the garbage collector's full collections, which
    # otherwise walk all of it again and again, pausing every update for 20-70 ms each time.
    gc.freeze()
    try:
        await stop.wait()
    finally:
        await stop_polling(app)
