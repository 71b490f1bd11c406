"""The demo catalogue: the shelves a new install of the shop opens with.

*Conquered City* is exactly as the publisher's page has it; around it stand more of Victor
Serge, Russian and European classics in translation, and a good run of Australian fiction,
memoir and poetry. A few titles are pre-orders (dated from `today`) and a few are sold out.
The data is books.toml; loader.py writes it with catalogue.sync (`load_demo`).
"""

from catalogue.demo.loader import DemoReport, check_demo, demo_books, load_demo

__all__ = ["DemoReport", "check_demo", "demo_books", "load_demo"]
