import type { Metadata } from "next";
import "./globals.css";
import { NavBar } from "./_components/NavBar";

export const metadata: Metadata = {
  title: "TradeMate Studio",
  description: "Train market-signal models in your browser: collect, build, train, compare, export.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <NavBar />
        <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
      </body>
    </html>
  );
}
