"use client";

import Link from "next/link";
import { type KeyboardEvent, type PointerEvent, useRef, useState } from "react";
import { fetchJson, RequestFailed } from "@/components/admin/fetch-json";
import { Ago } from "@/components/ui/date-time";
import type { BoardCard, BoardColumn } from "@/lib/leads/board";
import "./board.css";

const money = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  maximumFractionDigits: 0,
});

type Drag = {
  card: BoardCard;
  from: string;
  over: string | null;
  /** Where the pointer is, for the card that follows it; none when moved by keyboard. */
  at: { x: number; y: number } | null;
};

/** The card taken from one column and put in another, with both columns' counts and values. */
function moved(columns: BoardColumn[], card: BoardCard, from: string, to: string): BoardColumn[] {
  const worth = card.projectedValue ?? 0;
  return columns.map((column) => {
    if (column.stage.name === from) {
      return {
        ...column,
        cards: column.cards.filter((c) => c.id !== card.id),
        count: column.count - 1,
        value: column.value - worth,
      };
    }
    if (column.stage.name === to) {
      const cards = column.stage.kind === "open" ? [card, ...column.cards] : column.cards;
      return { ...column, cards, count: column.count + 1, value: column.value + worth };
    }
    return column;
  });
}

/** The column under a point of the screen, by its data-stage. */
function stageAt(x: number, y: number): string | null {
  for (const element of document.elementsFromPoint(x, y)) {
    const column = element.closest<HTMLElement>("[data-stage]");
    if (column) return column.dataset.stage ?? null;
  }
  return null;
}

/**
 * The pipeline as a board: a column per open stage with its cards, won and lost folded at the end.
 * A card moves by dragging its handle (mouse or touch), or by keyboard: the handle picks it up
 * (Enter or Space), the arrows choose the stage, Enter puts it down and Escape puts it back. Each
 * move is a staff edit of the lead's stage, on its history.
 */
export function Board({
  columns: initial,
  assignees,
}: {
  columns: BoardColumn[];
  /** Names of the staff a card may be assigned to, by id. */
  assignees: Record<string, string>;
}) {
  const [columns, setColumns] = useState(initial);
  const [drag, setDrag] = useState<Drag | null>(null);
  const [said, setSaid] = useState("");
  const [error, setError] = useState<string | null>(null);
  const pressed = useRef<{ card: BoardCard; from: string; x: number; y: number } | null>(null);
  const now = new Date();
  const names = columns.map((c) => c.stage.name);
  const label = (card: BoardCard) => card.name ?? "(no name)";

  async function move(card: BoardCard, from: string, to: string | null) {
    setDrag(null);
    if (!to || to === from) {
      setSaid(`${label(card)} stays in ${from}.`);
      return;
    }
    const before = columns;
    setColumns(moved(columns, card, from, to));
    setError(null);
    setSaid(`Moving ${label(card)} to ${to}…`);
    try {
      await fetchJson(`/api/admin/leads/${card.id}`, { method: "PATCH", body: { stage: to } });
      setSaid(`${label(card)} moved to ${to}.`);
    } catch (failed) {
      setSaid("");
      setColumns(before);
      setError(
        `${label(card)} could not be moved: ${
          failed instanceof RequestFailed
            ? (Object.values(failed.fields)[0] ?? failed.message)
            : "check the connection and try again"
        }.`,
      );
    }
  }

  const handlers = (card: BoardCard, from: string) => ({
    onPointerDown(e: PointerEvent<HTMLButtonElement>) {
      if (e.button !== 0) return;
      e.currentTarget.setPointerCapture(e.pointerId);
      pressed.current = { card, from, x: e.clientX, y: e.clientY };
    },
    onPointerMove(e: PointerEvent<HTMLButtonElement>) {
      const start = pressed.current;
      if (!start) return;
      if (!drag && Math.hypot(e.clientX - start.x, e.clientY - start.y) < 6) return;
      // Near the board's edge the columns scroll, so a card reaches a column out of view (a phone).
      const board = e.currentTarget.closest<HTMLElement>(".board");
      if (board) {
        const edge = board.getBoundingClientRect();
        if (e.clientX > edge.right - 48) board.scrollLeft += 24;
        else if (e.clientX < edge.left + 48) board.scrollLeft -= 24;
      }
      setDrag({ card, from, over: stageAt(e.clientX, e.clientY), at: { x: e.clientX, y: e.clientY } });
    },
    onPointerUp(e: PointerEvent<HTMLButtonElement>) {
      const start = pressed.current;
      pressed.current = null;
      if (start && drag?.at) void move(card, from, stageAt(e.clientX, e.clientY));
    },
    onPointerCancel() {
      pressed.current = null;
      setDrag(null);
    },
    onKeyDown(e: KeyboardEvent<HTMLButtonElement>) {
      const holding = drag && !drag.at && drag.card.id === card.id;
      if (!holding) {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          setDrag({ card, from, over: from, at: null });
          setSaid(
            `${label(card)} picked up, in ${from}. Left and right arrows choose a stage, Enter puts it down, Escape puts it back.`,
          );
        }
        return;
      }
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        e.preventDefault();
        const i = names.indexOf(drag.over ?? from) + (e.key === "ArrowRight" ? 1 : -1);
        const over = names[Math.max(0, Math.min(names.length - 1, i))]!;
        setDrag({ ...drag, over });
        setSaid(`Over ${over}.`);
      } else if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        void move(card, from, drag.over);
      } else if (e.key === "Escape" || e.key === "Tab") {
        setDrag(null);
        setSaid(`${label(card)} put back in ${from}.`);
      }
    },
  });

  return (
    <>
      <p className="sr-only" id="board-status" aria-live="assertive">
        {said}
      </p>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className={`board${drag?.at ? " dragging" : ""}`}>
        {columns.map((column) => {
          const name = column.stage.name;
          const open = column.stage.kind === "open";
          return (
            <section
              key={name}
              data-stage={name}
              className={`board-column${open ? "" : " folded"}${drag?.over === name ? " over" : ""}`}
              aria-labelledby={`col-${column.stage.id}`}
            >
              <h2 id={`col-${column.stage.id}`}>
                <span>{name}</span>{" "}
                <span className="muted">
                  {column.count}
                  {column.value > 0 ? ` · ${money.format(column.value)}` : ""}
                </span>
              </h2>
              {open ? (
                <ul>
                  {column.cards.map((card) => (
                    <li
                      key={card.id}
                      className={`board-card${drag?.card.id === card.id ? " lifted" : ""}`}
                      data-lead={card.id}
                    >
                      <div className="board-card-top">
                        <Link href={`/admin/leads/${card.id}`}>{label(card)}</Link>
                        <button
                          type="button"
                          className="handle"
                          aria-label={`Move ${label(card)}`}
                          aria-pressed={drag?.card.id === card.id && !drag.at}
                          {...handlers(card, name)}
                        >
                          <span aria-hidden="true">⠿</span>
                        </button>
                      </div>
                      {card.serviceType ? <p className="muted">{card.serviceType}</p> : null}
                      <p className="board-card-meta">
                        {card.projectedValue !== null ? (
                          <span>{money.format(card.projectedValue)}</span>
                        ) : null}
                        <Ago value={card.createdAt} now={now} />
                        {card.assignedTo ? <span>{assignees[card.assignedTo] ?? "Assigned"}</span> : null}
                      </p>
                    </li>
                  ))}
                  {column.count > column.cards.length ? (
                    <li className="muted">
                      <Link href={`/admin/leads?stage=${encodeURIComponent(name)}`}>
                        {column.count - column.cards.length} more in the list
                      </Link>
                    </li>
                  ) : null}
                  {column.count === 0 ? <li className="muted board-empty">No leads here.</li> : null}
                </ul>
              ) : (
                <p className="muted">
                  <Link href={`/admin/leads?stage=${encodeURIComponent(name)}`}>See them</Link>
                </p>
              )}
            </section>
          );
        })}
      </div>
      {drag?.at ? (
        <div
          className="board-card ghost"
          style={{ left: drag.at.x - 24, top: drag.at.y - 24 }}
          aria-hidden="true"
        >
          {label(drag.card)}
        </div>
      ) : null}
    </>
  );
}
