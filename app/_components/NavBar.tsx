"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/data/", label: "1 · Data" },
  { href: "/dataset/", label: "2 · Dataset" },
  { href: "/train/", label: "3 · Train" },
  { href: "/results/", label: "4 · Results" },
  { href: "/signals/", label: "5 · Signals" },
];

export function NavBar() {
  const path = usePathname();
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-3">
        <Link href="/" className="font-semibold text-indigo-700">
          TradeMate Studio
        </Link>
        {LINKS.map((l) => (
          <Link
            key={l.href}
            href={l.href}
            className={`text-sm ${path?.startsWith(l.href) ? "font-semibold text-slate-900" : "text-slate-500 hover:text-slate-800"}`}
          >
            {l.label}
          </Link>
        ))}
      </nav>
    </header>
  );
}
