"""Light and dark themes that follow the system's colour scheme.

Qt 6.5+ reports the platform's scheme (``QStyleHints.colorScheme``) and signals when
the user switches it; the window re-themes itself live. The Fusion style draws the
same on every platform, so one palette and one style sheet describe the whole look.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


@dataclass(frozen=True)
class Colors:
    window: str
    sidebar: str
    card: str
    user_bubble: str
    text: str
    muted: str
    border: str
    accent: str
    accent_text: str
    notice: str
    notice_border: str
    proposal: str
    proposal_border: str
    error: str
    error_border: str
    selection: str
    added: str
    removed: str


LIGHT = Colors(
    window="#f7f7f8",
    sidebar="#eceef1",
    card="#ffffff",
    user_bubble="#e3ebfd",
    text="#1f2328",
    muted="#6a7079",
    border="#dde0e4",
    accent="#2f6fed",
    accent_text="#ffffff",
    notice="#eefaf2",
    notice_border="#a9dcb9",
    proposal="#fff8e6",
    proposal_border="#f0d48a",
    error="#fdeeee",
    error_border="#f1b4b4",
    selection="#cfdcfb",
    added="#1a7f37",
    removed="#b42318",
)
DARK = Colors(
    window="#1d1e21",
    sidebar="#16171a",
    card="#27292d",
    user_bubble="#2c3a57",
    text="#e6e7ea",
    muted="#9aa0a8",
    border="#3a3d43",
    accent="#5b8def",
    accent_text="#ffffff",
    notice="#1b3124",
    notice_border="#2e6a44",
    proposal="#3a3120",
    proposal_border="#7a6432",
    error="#3b2022",
    error_border="#7a3438",
    selection="#34476e",
    added="#5fd38a",
    removed="#ff8a80",
)


#: Set by ``--theme``: the platform is asked for this scheme too, but not every
#: platform plugin (a bare X server, say) honours the request.
_forced_scheme: Qt.ColorScheme | None = None


def force_scheme(scheme: Qt.ColorScheme | None) -> None:
    """Use ``scheme`` instead of the system's (None: follow the system again)."""
    global _forced_scheme
    _forced_scheme = scheme
    QGuiApplication.styleHints().setColorScheme(scheme or Qt.ColorScheme.Unknown)
    app = QApplication.instance()
    if app is not None:
        apply_theme(app)


def system_prefers_dark() -> bool:
    scheme = _forced_scheme or QGuiApplication.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Unknown:
        # Older platforms say nothing: judge by the platform palette's window colour.
        return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return scheme == Qt.ColorScheme.Dark


def current_colors() -> Colors:
    return DARK if system_prefers_dark() else LIGHT


def apply_theme(app: QApplication) -> Colors:
    """Style the whole application for the system's current scheme."""
    colors = current_colors()
    app.setStyle("Fusion")
    app.setPalette(_palette(colors))
    app.setStyleSheet(style_sheet(colors))
    return colors


def follow_system(app: QApplication) -> None:
    """Apply the theme now and again whenever the system switches light/dark."""
    apply_theme(app)
    app.setFont(_ui_font(app.font()))
    QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_theme(app))


def _ui_font(base: QFont) -> QFont:
    font = QFont(base)
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    return font


def _palette(c: Colors) -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: c.window,
        QPalette.ColorRole.WindowText: c.text,
        QPalette.ColorRole.Base: c.card,
        QPalette.ColorRole.AlternateBase: c.sidebar,
        QPalette.ColorRole.Text: c.text,
        QPalette.ColorRole.Button: c.card,
        QPalette.ColorRole.ButtonText: c.text,
        QPalette.ColorRole.Highlight: c.accent,
        QPalette.ColorRole.HighlightedText: c.accent_text,
        QPalette.ColorRole.ToolTipBase: c.card,
        QPalette.ColorRole.ToolTipText: c.text,
        QPalette.ColorRole.PlaceholderText: c.muted,
        QPalette.ColorRole.Link: c.accent,
        QPalette.ColorRole.Mid: c.border,
    }
    for role, color in roles.items():
        palette.setColor(role, QColor(color))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(c.muted))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(c.muted))
    return palette


def style_sheet(c: Colors) -> str:
    """The app's style sheet; widgets are addressed by object name."""
    return f"""
    QWidget#Sidebar {{ background: {c.sidebar}; border-right: 1px solid {c.border}; }}
    QListWidget#ConversationList {{ background: transparent; border: none; outline: 0; }}
    QListWidget#ConversationList::item {{ padding: 8px 10px; border-radius: 8px; margin: 1px 0; }}
    QListWidget#ConversationList::item:selected {{ background: {c.selection}; color: {c.text}; }}
    QLabel#AppTitle {{ font-size: 15pt; font-weight: 600; }}
    QLabel#Muted, QLabel#ModelStatus, QLabel#Reason {{ color: {c.muted}; }}
    QWidget#ChatPage, QScrollArea#ChatScroll, QWidget#ChatColumn {{ background: {c.window}; }}
    QScrollArea#ChatScroll {{ border: none; }}
    QFrame#UserBubble {{ background: {c.user_bubble}; border-radius: 14px; }}
    QFrame#AnswerCard {{ background: {c.card}; border: 1px solid {c.border}; border-radius: 14px; }}
    QFrame#AnswerCard[highlighted="true"] {{ border: 2px solid {c.accent}; }}
    QLabel#Role {{ color: {c.muted}; font-weight: 600; }}
    QFrame#Notice {{ background: {c.notice}; border: 1px solid {c.notice_border};
                     border-radius: 10px; }}
    QFrame#Proposal {{ background: {c.proposal}; border: 1px solid {c.proposal_border};
                       border-radius: 10px; }}
    QFrame#CorrectionEditor {{ background: {c.window}; border: 1px solid {c.border};
                               border-radius: 10px; }}
    QFrame#FactsUsed {{ border-top: 1px solid {c.border}; }}
    QLabel#Added {{ color: {c.added}; }}
    QLabel#Removed {{ color: {c.removed}; }}
    QFrame#Banner {{ background: {c.error}; border: 1px solid {c.error_border};
                     border-radius: 10px; }}
    QFrame#Composer {{ background: {c.card}; border: 1px solid {c.border}; border-radius: 14px; }}
    QPlainTextEdit#MessageInput {{ background: transparent; border: none; }}
    QPushButton {{ padding: 5px 12px; border-radius: 7px; border: 1px solid {c.border};
                   background: {c.card}; }}
    QPushButton:hover {{ border-color: {c.accent}; }}
    QPushButton#Primary {{ background: {c.accent}; color: {c.accent_text}; border: none; }}
    QPushButton#Primary:disabled {{ background: {c.border}; color: {c.muted}; }}
    QToolButton {{ border: none; border-radius: 6px; padding: 3px 6px; color: {c.muted}; }}
    QToolButton:hover {{ background: {c.selection}; color: {c.text}; }}
    QToolButton:checked {{ background: {c.selection}; color: {c.accent}; }}
    QLineEdit {{ padding: 5px 8px; border: 1px solid {c.border}; border-radius: 7px;
                 background: {c.card}; }}
    QLineEdit:focus, QPlainTextEdit:focus {{ border-color: {c.accent}; }}
    QTableView {{ gridline-color: {c.border}; border: 1px solid {c.border}; border-radius: 6px;
                  selection-background-color: {c.selection}; selection-color: {c.text}; }}
    QHeaderView::section {{ background: {c.sidebar}; border: none;
                            border-bottom: 1px solid {c.border}; padding: 5px 6px;
                            font-weight: 600; }}
    QDockWidget::title {{ padding: 8px; background: {c.sidebar}; }}
    QProgressBar {{ border: 1px solid {c.border}; border-radius: 5px; text-align: center;
                    background: {c.card}; max-height: 10px; }}
    QProgressBar::chunk {{ background: {c.accent}; border-radius: 4px; }}
    """
