"""The demo catalogue: the shelves a new install of the shop opens with.

*Conquered City* is exactly as the publisher's page has it; around it stand more of Victor
Serge, Russian and European classics in translation, and a good run of Australian fiction,
memoir and poetry. A few titles are pre-orders (dated from `today`) and a few are sold out.

`load_demo` puts it all in the database. It can be run any number of times: rows are matched
by ISBN (books) or slug (authors, imprints, subjects), only what differs from the demo is
written, and a demo book someone has edited is put back the way the demo has it.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from djmoney.money import Money

from catalogue.isbn import InvalidISBN, isbn13_check_digit, normalise_isbn
from catalogue.models import Author, Book, BookFormat, Contribution, Imprint, Review, Subject
from catalogue.version import bump_catalogue_version

Role = Contribution.Role


def isbn(first12: str) -> str:
    """An ISBN-13 from its first twelve digits, with the check digit worked out."""
    return first12 + isbn13_check_digit(first12)


@dataclass(frozen=True)
class DemoImprint:
    name: str
    publisher: str

    @property
    def slug(self) -> str:
        return slugify(self.name)


@dataclass(frozen=True)
class DemoSubject:
    name: str

    @property
    def slug(self) -> str:
        return slugify(self.name)


@dataclass(frozen=True)
class DemoAuthor:
    name: str
    sort_name: str
    biography: str

    @property
    def slug(self) -> str:
        return slugify(self.name)


@dataclass(frozen=True)
class DemoBook:
    """One book in the demo. People, imprints and subjects are named as in the lists below."""

    isbn: str
    title: str
    imprint: str
    format: BookFormat
    published: datetime.date
    rrp: str  # AUD, GST included
    stock: int
    description: str
    authors: tuple[str, ...]
    subjects: tuple[str, ...]
    subtitle: str = ""
    pages: int | None = None
    editors: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()
    introduction: tuple[str, ...] = ()
    foreword: tuple[str, ...] = ()
    praise: tuple[tuple[str, str], ...] = ()  # (quote, source), in the order the page shows

    @property
    def credits(self) -> list[tuple[str, Role]]:
        """Everyone credited, in the order the book page lists them."""
        return [
            *((name, Role.AUTHOR) for name in self.authors),
            *((name, Role.EDITOR) for name in self.editors),
            *((name, Role.TRANSLATOR) for name in self.translators),
            *((name, Role.INTRODUCTION) for name in self.introduction),
            *((name, Role.FOREWORD) for name in self.foreword),
        ]


IMPRINTS: tuple[DemoImprint, ...] = (
    DemoImprint("NY Review Books", "New York Review of Books"),
    DemoImprint("NYRB Poets", "New York Review of Books"),
    DemoImprint("PM Press", "PM Press"),
    DemoImprint("Text Classics", "Text Publishing"),
    DemoImprint("Text Publishing", "Text Publishing"),
    DemoImprint("Penguin Modern Classics", "Penguin Books"),
    DemoImprint("Penguin Books", "Penguin Random House Australia"),
    DemoImprint("Vintage Classics", "Penguin Random House"),
    DemoImprint("Picador", "Pan Macmillan"),
    DemoImprint("Giramondo", "Giramondo Publishing"),
    DemoImprint("Black Inc.", "Schwartz Books"),
    DemoImprint("Bolinda Audio", "Bolinda Publishing"),
)

SUBJECTS: tuple[DemoSubject, ...] = tuple(
    DemoSubject(name)
    for name in (
        "Fiction",
        "Classics",
        "Translated Fiction",
        "Australian Fiction",
        "History",
        "Politics",
        "Memoir",
        "Essays",
        "True Crime",
        "Poetry",
    )
)

AUTHORS: tuple[DemoAuthor, ...] = (
    # Victor Serge and the people who brought him into English.
    DemoAuthor(
        "Victor Serge",
        "Serge, Victor",
        "Born in Brussels to Russian exiles, Victor Serge was an anarchist in Paris, a Bolshevik "
        "in Petrograd and a prisoner of Stalin's Soviet Union. He died in exile in Mexico City "
        "in 1947, leaving novels, memoirs and poems that bear witness to the revolution and its "
        "betrayal.",
    ),
    DemoAuthor(
        "Richard Greeman",
        "Greeman, Richard",
        "An American scholar and activist, Richard Greeman has spent more than fifty years "
        "translating Victor Serge's novels into English.",
    ),
    DemoAuthor(
        "Peter Sedgwick",
        "Sedgwick, Peter",
        "A British socialist writer and psychologist whose 1963 translation first brought "
        "Serge's memoirs to English readers.",
    ),
    DemoAuthor(
        "George Paizis",
        "Paizis, George",
        "A scholar of French literature who helped prepare the complete English text of "
        "Serge's memoirs.",
    ),
    DemoAuthor(
        "Adam Hochschild",
        "Hochschild, Adam",
        "American journalist and historian, author of King Leopold's Ghost and Bury the Chains.",
    ),
    DemoAuthor(
        "Willard R. Trask",
        "Trask, Willard R.",
        "A prolific American translator from French, German and Spanish.",
    ),
    DemoAuthor(
        "Susan Sontag",
        "Sontag, Susan",
        "American essayist and novelist, author of Against Interpretation and On Photography.",
    ),
    DemoAuthor(
        "Mitchell Abidor",
        "Abidor, Mitchell",
        "A translator of French anarchist and socialist writing.",
    ),
    # Russian and European classics in translation.
    DemoAuthor(
        "Vasily Grossman",
        "Grossman, Vasily",
        "A Soviet war correspondent who reported from Stalingrad and from the death camps as "
        "they were liberated. The KGB seized the manuscript of Life and Fate in 1961; it first "
        "appeared in the West two decades later.",
    ),
    DemoAuthor(
        "Robert Chandler",
        "Chandler, Robert",
        "British poet and translator of Russian literature, best known for his versions of "
        "Grossman, Platonov and Pushkin.",
    ),
    DemoAuthor(
        "Elizabeth Chandler",
        "Chandler, Elizabeth",
        "A translator who has worked with Robert Chandler on the novels of Vasily Grossman and "
        "Andrey Platonov.",
    ),
    DemoAuthor(
        "Anna Aslanyan",
        "Aslanyan, Anna",
        "A Russian-born translator and journalist who lives in London.",
    ),
    DemoAuthor(
        "Olga Meerson",
        "Meerson, Olga",
        "A scholar and translator of Russian literature who teaches at Georgetown University.",
    ),
    DemoAuthor(
        "Andrey Platonov",
        "Platonov, Andrey",
        "An engineer and land-reclamation expert as well as a writer, Platonov saw much of his "
        "best work suppressed in his lifetime.",
    ),
    DemoAuthor(
        "Osip Mandelstam",
        "Mandelstam, Osip",
        "One of the great Russian poets of the twentieth century; he died in 1938 on his way to "
        "a Soviet labour camp.",
    ),
    DemoAuthor(
        "Andrew Davis",
        "Davis, Andrew",
        "An American translator of Russian poetry.",
    ),
    DemoAuthor(
        "Natalia Ginzburg",
        "Ginzburg, Natalia",
        "An Italian novelist and essayist who grew up in an anti-fascist family in Turin. Her "
        "plain, exact prose turns family life into history.",
    ),
    DemoAuthor(
        "Jenny McPhee",
        "McPhee, Jenny",
        "An American novelist and translator from Italian.",
    ),
    DemoAuthor(
        "Avril Bardoni",
        "Bardoni, Avril",
        "A British translator of Italian fiction.",
    ),
    DemoAuthor(
        "Stefan Zweig",
        "Zweig, Stefan",
        "Viennese novelist, biographer and essayist, once among the most translated writers in "
        "the world. He died in exile in Brazil in 1942.",
    ),
    DemoAuthor(
        "Joel Rotenberg",
        "Rotenberg, Joel",
        "An American translator from German.",
    ),
    DemoAuthor(
        "Anthea Bell",
        "Bell, Anthea",
        "An English translator from German and French whose work ranged from Zweig and Kafka "
        "to Asterix.",
    ),
    # American letters.
    DemoAuthor(
        "Elizabeth Hardwick",
        "Hardwick, Elizabeth",
        "A Kentucky-born critic and novelist, and a founder of The New York Review of Books.",
    ),
    DemoAuthor(
        "Geoffrey O'Brien",
        "O'Brien, Geoffrey",
        "American poet and critic, and a former editor-in-chief of the Library of America.",
    ),
    DemoAuthor(
        "Joan Didion",
        "Didion, Joan",
        "American essayist and novelist, author of Slouching Towards Bethlehem and The Year of "
        "Magical Thinking.",
    ),
    DemoAuthor(
        "Randall Jarrell",
        "Jarrell, Randall",
        "An American poet and critic.",
    ),
    # Australian writers.
    DemoAuthor(
        "Christina Stead",
        "Stead, Christina",
        "Born in Sydney, Stead spent four decades in Europe and the United States before "
        "coming home to Australia in 1974.",
    ),
    DemoAuthor(
        "Patrick White",
        "White, Patrick",
        "Australian novelist and playwright, and in 1973 the first Australian to win the Nobel "
        "Prize in Literature.",
    ),
    DemoAuthor(
        "Miles Franklin",
        "Franklin, Miles",
        "Stella Miles Franklin wrote My Brilliant Career as a teenager in country New South "
        "Wales. Her bequest founded the Miles Franklin Literary Award.",
    ),
    DemoAuthor(
        "Carmen Callil",
        "Callil, Carmen",
        "A Melbourne-born publisher who founded Virago Press in London.",
    ),
    DemoAuthor(
        "Henry Handel Richardson",
        "Richardson, Henry Handel",
        "The pen name of Ethel Florence Lindesay Richardson, who grew up in Victoria and wrote "
        "her novels in England.",
    ),
    DemoAuthor(
        "Germaine Greer",
        "Greer, Germaine",
        "A Melbourne-born writer and academic, author of The Female Eunuch.",
    ),
    DemoAuthor(
        "Kate Grenville",
        "Grenville, Kate",
        "A Sydney novelist whose books return again and again to the colonial past of New "
        "South Wales.",
    ),
    DemoAuthor(
        "Gerald Murnane",
        "Murnane, Gerald",
        "Murnane has spent almost his whole life in Victoria and lives in the western district "
        "town of Goroke.",
    ),
    DemoAuthor(
        "Wayne Macauley",
        "Macauley, Wayne",
        "A Melbourne novelist, author of Caravan Story and The Cook.",
    ),
    DemoAuthor(
        "Tim Winton",
        "Winton, Tim",
        "A Western Australian novelist and four-time winner of the Miles Franklin Award.",
    ),
    DemoAuthor(
        "Helen Garner",
        "Garner, Helen",
        "A Melbourne novelist and journalist, author of Monkey Grip and This House of Grief.",
    ),
    DemoAuthor(
        "Elizabeth Harrower",
        "Harrower, Elizabeth",
        "A Sydney novelist who stopped publishing in the 1970s; her books found a new "
        "generation of readers decades later.",
    ),
    DemoAuthor(
        "Joan London",
        "London, Joan",
        "A Western Australian novelist, author of Gilgamesh and The Golden Age.",
    ),
    DemoAuthor(
        "Kenneth Cook",
        "Cook, Kenneth",
        "An Australian journalist and writer, best known for Wake in Fright.",
    ),
    DemoAuthor(
        "Peter Temple",
        "Temple, Peter",
        "A crime writer whose novel Truth won the Miles Franklin Award in 2010.",
    ),
    DemoAuthor(
        "Marjorie Barnard",
        "Barnard, Marjorie",
        "A Sydney writer and librarian who wrote novels and histories with Flora Eldershaw "
        "under the name M. Barnard Eldershaw.",
    ),
    DemoAuthor(
        "Flora Eldershaw",
        "Eldershaw, Flora",
        "A critic and teacher who wrote with Marjorie Barnard as M. Barnard Eldershaw.",
    ),
    DemoAuthor(
        "Ruth Park",
        "Park, Ruth",
        "A New Zealand-born novelist who made her life in Sydney; author of The Harp in the South.",
    ),
    DemoAuthor(
        "D'Arcy Niland",
        "Niland, D'Arcy",
        "An Australian novelist and short-story writer, author of The Shiralee.",
    ),
    DemoAuthor(
        "Randolph Stow",
        "Stow, Randolph",
        "Born in Geraldton, Western Australia, Stow lived in England from the late 1960s.",
    ),
    DemoAuthor(
        "Les Murray",
        "Murray, Les",
        "A poet from Bunyah on the New South Wales mid-north coast, where he lived for most of "
        "his life.",
    ),
)

# The publisher's page for Conquered City (shared/seed/conquered-city-page.txt), word for word.
CONQUERED_CITY_ISBN = "9781590173664"
CONQUERED_CITY_DESCRIPTION = "\n\n".join(
    (
        "1919–1920: St. Petersburg, city of the czars, has fallen to the Revolution. Camped "
        "out in the splendid palaces of the former regime, the city’s new masters seek to "
        "cement their control, even as the counterrevolutionary White Army regroups. Conquered "
        "City, Victor Serge’s most unrelenting narrative, is structured like a detective "
        "story, one in which the new political regime tracks down and eliminates its "
        "enemies—the spies, speculators, and\xa0traitors hidden among the mass of common people.",
        "Conquered City is about terror: the Red Terror and the White Terror. But mainly about "
        "the Red, the Communists who have dared to pick up the weapons of power—police, guns, "
        "jails, spies, treachery—in the doomed gamble that by wielding them righteously, they "
        "can put an end to the need for terror, perhaps forever. Conquered City is their "
        "tragedy and testament.",
    )
)
CONQUERED_CITY_PRAISE: tuple[tuple[str, str], ...] = (
    (
        "A witness to revolution and reaction in Europe between the wars, Serge searingly "
        "evoked the epochal hopes and shattering setbacks of a generation of leftists...Yet "
        "under the bleakest of conditions, Serge's optimism, his humane sympathies and "
        "generous spirit, never waned. A radical misfit, no faction, no sect could contain "
        "him; he inhabited a lonely no-man's-land all his own. These qualities are precisely "
        "what make him such an inspiring, even moving figure.",
        "Bookforum",
    ),
    (
        "I know of no other writer with whom Serge can be very usefully compared. The essence "
        "of the man and his books is to be found in his attitude to the truth. There have of "
        "course been many scrupulously honest writers. But for Serge the value of the truth "
        "extended far beyond the simple (or complex) telling of it.",
        "John Berger",
    ),
    (
        "Victor Serge was, and remains, unique: the only novelist to describe successfully, "
        "from the inside, the now long-lost milieu of the socialist movement in Europe, its "
        "Soviet product, and its destruction by Stalinism.... Serge's novels have never been "
        "widely read in English, and it's a pity. His fiction emulated the now-also-defunct "
        "French genre of the roman-fleuve or literary river, once exemplified by the work of "
        "Jules Romains, in which a group of characters is followed through the passage of "
        "decades.",
        "The New Criterion",
    ),
    (
        "The work of the writer Victor Serge faultlessly captures the labyrinth of "
        "bureaucratic incrimination into which the Soviet Union descended.",
        "The Atlantic",
    ),
)

# Summaries shared by more than one edition of the same book, by title.
SUMMARIES: dict[str, str] = {
    "Life and Fate": (
        "Centred on the Battle of Stalingrad, Grossman's epic moves between the front line, the "
        "camps of both Hitler and Stalin, and a family scattered by the war. A novel about freedom "
        "and its enemies that the Soviet state tried to make disappear."
    ),
    "Stalingrad": (
        "The novel Grossman wrote first, following the Shaposhnikov family and the soldiers "
        "defending the city through the summer of 1942. The prequel to Life and Fate, restored "
        "from the author's manuscripts."
    ),
    "Family Lexicon": (
        "Ginzburg remembers her family in Turin through the phrases, jokes and complaints they "
        "repeated for decades, while fascism, war and loss press in from outside. Funny and exact, "
        "it reads like a novel and is true."
    ),
    "Chess Story": (
        "On a liner bound for Buenos Aires, the world chess champion is challenged by a stranger "
        "who learned the game alone in a Gestapo cell. Zweig's last novella, finished shortly "
        "before his death."
    ),
    "Voss": (
        "In 1845 the German explorer Voss leads an expedition into the Australian interior, "
        "while in Sydney Laura Trevelyan follows him in her thoughts. White's great novel of "
        "pride, faith and the land."
    ),
    "My Brilliant Career": (
        "Sybylla Melvyn, sixteen and restless on a poor farm in the bush, wants a larger life than "
        "marriage can offer her. Franklin's first novel, written while she was still a teenager."
    ),
    "The Secret River": (
        "William Thornhill, transported for theft, takes up land on the Hawkesbury River and finds "
        "it is already home to the Darug people. Grenville's novel of the violence on which "
        "colonial New South Wales was built."
    ),
    "Cloudstreet": (
        "Two working-class families, the Pickles and the Lambs, share a sprawling house in Perth "
        "for twenty years after the war. Winton's best-loved novel, full of luck, grief and the "
        "river."
    ),
}

SERGE_NOVEL = ("Fiction", "Classics", "Translated Fiction", "Politics")
RUSSIAN_NOVEL = ("Fiction", "Classics", "Translated Fiction", "History")
TRANSLATED_CLASSIC = ("Fiction", "Classics", "Translated Fiction")
AUSTRALIAN_CLASSIC = ("Fiction", "Classics", "Australian Fiction")
AUSTRALIAN_NOVEL = ("Fiction", "Australian Fiction")


def demo_books(*, today: datetime.date) -> list[DemoBook]:
    """The demo's books. Pre-orders are dated a few weeks or months after `today`."""

    def in_days(days: int) -> datetime.date:
        return today + datetime.timedelta(days=days)

    date = datetime.date
    return [
        # Victor Serge.
        DemoBook(
            isbn=CONQUERED_CITY_ISBN,
            title="Conquered City",
            authors=("Victor Serge",),
            translators=("Richard Greeman",),
            imprint="NY Review Books",
            format=BookFormat.PAPERBACK,
            published=date(2011, 2, 15),
            pages=224,
            rrp="39.99",
            stock=12,
            subjects=SERGE_NOVEL,
            description=CONQUERED_CITY_DESCRIPTION,
            praise=CONQUERED_CITY_PRAISE,
        ),
        DemoBook(
            isbn=isbn("978159017451"),
            title="Memoirs of a Revolutionary",
            authors=("Victor Serge",),
            translators=("Peter Sedgwick", "George Paizis"),
            foreword=("Adam Hochschild",),
            imprint="NY Review Books",
            format=BookFormat.PAPERBACK,
            published=date(2012, 4, 10),
            pages=592,
            rrp="49.99",
            stock=6,
            subjects=("Memoir", "History", "Politics"),
            description=(
                "Serge's account of a life spent where the century's upheavals were fiercest, "
                "from anarchist Paris to revolutionary Petrograd to the prisons and "
                "deportations of Stalin's Russia. Clear-eyed about his comrades and himself, it "
                "is one of the great political autobiographies."
            ),
        ),
        DemoBook(
            isbn=isbn("978159017034"),
            title="The Case of Comrade Tulayev",
            authors=("Victor Serge",),
            translators=("Willard R. Trask",),
            introduction=("Susan Sontag",),
            imprint="NY Review Books",
            format=BookFormat.PAPERBACK,
            published=date(2004, 3, 31),
            pages=400,
            rrp="34.99",
            stock=0,
            subjects=SERGE_NOVEL,
            description=(
                "When a high official is shot dead on a Moscow street, the investigation "
                "becomes a pretext for arresting anyone the regime wants gone. Serge's novel of "
                "the Great Purge follows the accused one by one into the machine that destroys "
                "them."
            ),
        ),
        DemoBook(
            isbn=isbn("978159017263"),
            title="Unforgiving Years",
            authors=("Victor Serge",),
            translators=("Richard Greeman",),
            imprint="NY Review Books",
            format=BookFormat.PAPERBACK,
            published=date(2008, 10, 14),
            pages=368,
            rrp="36.99",
            stock=4,
            subjects=SERGE_NOVEL,
            description=(
                "A Soviet agent breaking with the service in Paris, besieged Leningrad, Berlin "
                "under the bombs, Mexico after the war. Serge's last novel follows people who "
                "cannot escape the history they helped to make."
            ),
        ),
        DemoBook(
            isbn=isbn("978159017722"),
            title="Midnight in the Century",
            authors=("Victor Serge",),
            translators=("Richard Greeman",),
            imprint="NY Review Books",
            format=BookFormat.PAPERBACK,
            published=date(2014, 8, 5),
            pages=256,
            rrp="34.99",
            stock=7,
            subjects=SERGE_NOVEL,
            description=(
                "Exiled oppositionists in a small town on the edge of the Soviet steppe argue, "
                "go hungry and hold fast to their ideas while the purges close in. A novel "
                "drawn from Serge's own years of deportation to Orenburg."
            ),
        ),
        DemoBook(
            isbn=isbn("978160486946"),
            title="Men in Prison",
            authors=("Victor Serge",),
            translators=("Richard Greeman",),
            imprint="PM Press",
            format=BookFormat.PAPERBACK,
            published=date(2014, 3, 1),
            pages=256,
            rrp="32.99",
            stock=3,
            subjects=SERGE_NOVEL,
            description=(
                "Serge's first novel, written out of his five years in French prisons, tells "
                "of life inside through the many men who share it rather than a single hero."
            ),
        ),
        DemoBook(
            isbn=isbn("978168137306"),
            title="Notebooks",
            subtitle="1936–1947",
            authors=("Victor Serge",),
            translators=("Mitchell Abidor", "Richard Greeman"),
            imprint="NY Review Books",
            format=BookFormat.EBOOK,
            published=date(2019, 6, 18),
            rrp="19.99",
            stock=30,
            subjects=("Memoir", "History", "Politics"),
            description=(
                "The journals Serge kept in Mexican exile: portraits of fellow refugees, "
                "thoughts on the war and the fate of socialism, and notes on the country around "
                "him."
            ),
        ),
        # Russian classics.
        DemoBook(
            isbn=isbn("978159017201"),
            title="Life and Fate",
            authors=("Vasily Grossman",),
            translators=("Robert Chandler",),
            imprint="NY Review Books",
            format=BookFormat.PAPERBACK,
            published=date(2006, 10, 31),
            pages=896,
            rrp="39.99",
            stock=9,
            subjects=RUSSIAN_NOVEL,
            description=SUMMARIES["Life and Fate"],
        ),
        DemoBook(
            isbn=isbn("978148121001"),
            title="Life and Fate",
            authors=("Vasily Grossman",),
            translators=("Robert Chandler",),
            imprint="Bolinda Audio",
            format=BookFormat.AUDIOBOOK,
            published=in_days(21),
            rrp="44.99",
            stock=0,
            subjects=RUSSIAN_NOVEL,
            description=SUMMARIES["Life and Fate"],
        ),
        DemoBook(
            isbn=isbn("978168137327"),
            title="Stalingrad",
            authors=("Vasily Grossman",),
            translators=("Robert Chandler", "Elizabeth Chandler"),
            imprint="NY Review Books",
            format=BookFormat.HARDBACK,
            published=date(2019, 6, 4),
            pages=1088,
            rrp="69.99",
            stock=2,
            subjects=RUSSIAN_NOVEL,
            description=SUMMARIES["Stalingrad"],
        ),
        DemoBook(
            isbn=isbn("978168137801"),
            title="Stalingrad",
            authors=("Vasily Grossman",),
            translators=("Robert Chandler", "Elizabeth Chandler"),
            imprint="NY Review Books",
            format=BookFormat.PAPERBACK,
            published=in_days(150),
            pages=1088,
            rrp="44.99",
            stock=0,
            subjects=RUSSIAN_NOVEL,
            description=SUMMARIES["Stalingrad"],
        ),
        DemoBook(
            isbn=isbn("978159017331"),
            title="Everything Flows",
            authors=("Vasily Grossman",),
            translators=("Robert Chandler", "Elizabeth Chandler", "Anna Aslanyan"),
            imprint="NY Review Books",
            format=BookFormat.PAPERBACK,
            published=date(2010, 1, 5),
            pages=272,
            rrp="32.99",
            stock=5,
            subjects=RUSSIAN_NOVEL,
            description=(
                "After thirty years in the Gulag, Ivan Grigoryevich comes back to a country "
                "that would rather forget him. Grossman's last work, part novel and part "
                "indictment, includes one of the first accounts in fiction of the Ukrainian "
                "famine."
            ),
        ),
        DemoBook(
            isbn=isbn("978159017361"),
            title="The Road",
            subtitle="Stories, Journalism, and Essays",
            authors=("Vasily Grossman",),
            editors=("Robert Chandler",),
            translators=("Robert Chandler", "Elizabeth Chandler"),
            imprint="NY Review Books",
            format=BookFormat.PAPERBACK,
            published=date(2010, 10, 5),
            pages=384,
            rrp="34.99",
            stock=3,
            subjects=("Translated Fiction", "History", "Essays"),
            description=(
                "Stories, wartime reporting and essays from across Grossman's career, among "
                "them his early account of Treblinka and a story of the war told by an army "
                "mule."
            ),
        ),
        DemoBook(
            isbn=isbn("978159017314"),
            title="The Foundation Pit",
            authors=("Andrey Platonov",),
            translators=("Robert Chandler", "Elizabeth Chandler", "Olga Meerson"),
            imprint="NY Review Books",
            format=BookFormat.PAPERBACK,
            published=date(2009, 3, 3),
            pages=208,
            rrp="29.99",
            stock=5,
            subjects=TRANSLATED_CLASSIC,
            description=(
                "Workers dig the foundations of a great building meant to house the future "
                "proletariat while the village nearby is forced into collectivisation. "
                "Platonov's strange, grief-struck language shows what the slogans of the time "
                "did to people."
            ),
        ),
        DemoBook(
            isbn=isbn("978159017254"),
            title="Soul and Other Stories",
            authors=("Andrey Platonov",),
            translators=("Robert Chandler", "Elizabeth Chandler"),
            imprint="NY Review Books",
            format=BookFormat.PAPERBACK,
            published=date(2008, 1, 15),
            pages=368,
            rrp="34.99",
            stock=0,
            subjects=TRANSLATED_CLASSIC,
            description=(
                "Stories and the short novel Soul, in which a young economist goes back to "
                "Central Asia to lead his lost people out of the desert. Platonov at his most "
                "tender and most unsettling."
            ),
        ),
        DemoBook(
            isbn=isbn("978168137005"),
            title="Voronezh Notebooks",
            authors=("Osip Mandelstam",),
            translators=("Andrew Davis",),
            imprint="NYRB Poets",
            format=BookFormat.PAPERBACK,
            published=date(2016, 4, 12),
            pages=176,
            rrp="27.99",
            stock=3,
            subjects=("Poetry", "Classics"),
            description=(
                "The poems Mandelstam wrote in exile in Voronezh between 1935 and 1937, in the "
                "last years before his arrest and death."
            ),
        ),
        # European and American classics.
        DemoBook(
            isbn=isbn("978168137076"),
            title="Family Lexicon",
            authors=("Natalia Ginzburg",),
            translators=("Jenny McPhee",),
            imprint="NY Review Books",
            format=BookFormat.PAPERBACK,
            published=date(2017, 5, 9),
            pages=240,
            rrp="29.99",
            stock=14,
            subjects=("Memoir", "Classics", "Translated Fiction"),
            description=SUMMARIES["Family Lexicon"],
        ),
        DemoBook(
            isbn=isbn("978168137077"),
            title="Family Lexicon",
            authors=("Natalia Ginzburg",),
            translators=("Jenny McPhee",),
            imprint="NY Review Books",
            format=BookFormat.EBOOK,
            published=date(2017, 5, 9),
            rrp="16.99",
            stock=30,
            subjects=("Memoir", "Classics", "Translated Fiction"),
            description=SUMMARIES["Family Lexicon"],
        ),
        DemoBook(
            isbn=isbn("978168137455"),
            title="Valentino and Sagittarius",
            authors=("Natalia Ginzburg",),
            translators=("Avril Bardoni",),
            imprint="NY Review Books",
            format=BookFormat.PAPERBACK,
            published=date(2020, 7, 21),
            pages=176,
            rrp="27.99",
            stock=6,
            subjects=TRANSLATED_CLASSIC,
            description=(
                "Two short novels of family life in which a son's charm and a mother's "
                "ambitions lead everyone into disappointment. Ginzburg's level, ironic "
                "narrators see more than they say."
            ),
        ),
        DemoBook(
            isbn=isbn("978159017150"),
            title="Chess Story",
            authors=("Stefan Zweig",),
            translators=("Joel Rotenberg",),
            imprint="NY Review Books",
            format=BookFormat.PAPERBACK,
            published=date(2005, 11, 15),
            pages=112,
            rrp="22.99",
            stock=18,
            subjects=TRANSLATED_CLASSIC,
            description=SUMMARIES["Chess Story"],
        ),
        DemoBook(
            isbn=isbn("978148120512"),
            title="Chess Story",
            authors=("Stefan Zweig",),
            translators=("Joel Rotenberg",),
            imprint="Bolinda Audio",
            format=BookFormat.AUDIOBOOK,
            published=date(2019, 9, 1),
            rrp="24.99",
            stock=30,
            subjects=TRANSLATED_CLASSIC,
            description=SUMMARIES["Chess Story"],
        ),
        DemoBook(
            isbn=isbn("978159017344"),
            title="Journey into the Past",
            authors=("Stefan Zweig",),
            translators=("Anthea Bell",),
            imprint="NY Review Books",
            format=BookFormat.PAPERBACK,
            published=date(2010, 4, 20),
            pages=96,
            rrp="22.99",
            stock=11,
            subjects=TRANSLATED_CLASSIC,
            description=(
                "A man and the woman he loved meet again after the First World War has kept "
                "them apart for years. A short, melancholy novella that was published long "
                "after Zweig's death."
            ),
        ),
        DemoBook(
            isbn=isbn("978094032245"),
            title="Sleepless Nights",
            authors=("Elizabeth Hardwick",),
            introduction=("Geoffrey O'Brien",),
            imprint="NY Review Books",
            format=BookFormat.PAPERBACK,
            published=date(2001, 3, 31),
            pages=152,
            rrp="26.99",
            stock=8,
            subjects=("Fiction", "Classics"),
            description=(
                "A woman looks back over the cities, lovers and friends of her life in a run "
                "of fragments somewhere between memoir and fiction. Some of the finest "
                "sentences in American prose."
            ),
        ),
        DemoBook(
            isbn=isbn("978094032262"),
            title="Seduction and Betrayal",
            subtitle="Women and Literature",
            authors=("Elizabeth Hardwick",),
            introduction=("Joan Didion",),
            imprint="NY Review Books",
            format=BookFormat.PAPERBACK,
            published=date(2001, 5, 31),
            pages=224,
            rrp="29.99",
            stock=3,
            subjects=("Essays", "Classics"),
            description=(
                "Essays on women in literature and in writers' lives, from the Brontës and "
                "Dorothy Wordsworth to Sylvia Plath and the heroines of Ibsen."
            ),
        ),
        # Australian classics.
        DemoBook(
            isbn=isbn("978031228062"),
            title="The Man Who Loved Children",
            authors=("Christina Stead",),
            introduction=("Randall Jarrell",),
            imprint="Picador",
            format=BookFormat.PAPERBACK,
            published=date(2001, 5, 1),
            pages=528,
            rrp="34.99",
            stock=4,
            subjects=AUSTRALIAN_CLASSIC,
            description=(
                "Sam Pollit lectures, teases and tyrannises his large family in their "
                "ramshackle house outside Washington, while his wife Henny sinks under debt "
                "and contempt. A savage, comic portrait of a family at war with itself."
            ),
        ),
        DemoBook(
            isbn=isbn("978014118511"),
            title="For Love Alone",
            authors=("Christina Stead",),
            imprint="Penguin Modern Classics",
            format=BookFormat.PAPERBACK,
            published=date(2010, 9, 1),
            pages=512,
            rrp="27.99",
            stock=3,
            subjects=AUSTRALIAN_CLASSIC,
            description=(
                "Teresa Hawkins, poor and fiercely determined, leaves Sydney for London after a "
                "man who does not deserve her. A novel of hunger for love and for independence."
            ),
        ),
        DemoBook(
            isbn=isbn("978009932474"),
            title="Voss",
            authors=("Patrick White",),
            imprint="Vintage Classics",
            format=BookFormat.PAPERBACK,
            published=date(2012, 1, 2),
            pages=448,
            rrp="24.99",
            stock=15,
            subjects=AUSTRALIAN_CLASSIC,
            description=SUMMARIES["Voss"],
        ),
        DemoBook(
            isbn=isbn("978178487612"),
            title="Voss",
            authors=("Patrick White",),
            imprint="Vintage Classics",
            format=BookFormat.HARDBACK,
            published=in_days(60),
            pages=464,
            rrp="49.99",
            stock=0,
            subjects=AUSTRALIAN_CLASSIC,
            description=SUMMARIES["Voss"],
        ),
        DemoBook(
            isbn=isbn("978009932480"),
            title="The Tree of Man",
            authors=("Patrick White",),
            imprint="Vintage Classics",
            format=BookFormat.PAPERBACK,
            published=date(2012, 1, 2),
            pages=512,
            rrp="24.99",
            stock=6,
            subjects=AUSTRALIAN_CLASSIC,
            description=(
                "Stan and Amy Parker clear a farm in the bush outside Sydney and live out their "
                "lives through flood, fire and war. White finds the extraordinary in an "
                "ordinary life."
            ),
        ),
        DemoBook(
            isbn=isbn("978009932491"),
            title="Riders in the Chariot",
            authors=("Patrick White",),
            imprint="Vintage Classics",
            format=BookFormat.PAPERBACK,
            published=date(2012, 1, 2),
            pages=560,
            rrp="24.99",
            stock=0,
            subjects=AUSTRALIAN_CLASSIC,
            description=(
                "Four outsiders in a Sydney suburb, each a visionary in their own way, are "
                "drawn together by a shared glimpse of the divine, and the suburb's cruelty "
                "turns on them."
            ),
        ),
        DemoBook(
            isbn=isbn("978192192205"),
            title="My Brilliant Career",
            authors=("Miles Franklin",),
            introduction=("Carmen Callil",),
            imprint="Text Classics",
            format=BookFormat.PAPERBACK,
            published=date(2012, 3, 29),
            pages=272,
            rrp="16.99",
            stock=20,
            subjects=AUSTRALIAN_CLASSIC,
            description=SUMMARIES["My Brilliant Career"],
        ),
        DemoBook(
            isbn=isbn("978174233871"),
            title="My Brilliant Career",
            authors=("Miles Franklin",),
            imprint="Bolinda Audio",
            format=BookFormat.AUDIOBOOK,
            published=date(2014, 6, 1),
            rrp="29.99",
            stock=30,
            subjects=AUSTRALIAN_CLASSIC,
            description=SUMMARIES["My Brilliant Career"],
        ),
        DemoBook(
            isbn=isbn("978192192210"),
            title="The Getting of Wisdom",
            authors=("Henry Handel Richardson",),
            introduction=("Germaine Greer",),
            imprint="Text Classics",
            format=BookFormat.PAPERBACK,
            published=date(2012, 3, 29),
            pages=256,
            rrp="16.99",
            stock=9,
            subjects=AUSTRALIAN_CLASSIC,
            description=(
                "Laura Rambotham, a country girl with a lively imagination, is sent to an "
                "exclusive Melbourne boarding school and learns what it costs to fit in."
            ),
        ),
        DemoBook(
            isbn=isbn("978014310042"),
            title="The Fortunes of Richard Mahony",
            authors=("Henry Handel Richardson",),
            imprint="Penguin Modern Classics",
            format=BookFormat.PAPERBACK,
            published=date(2013, 2, 1),
            pages=992,
            rrp="35.00",
            stock=2,
            subjects=AUSTRALIAN_CLASSIC,
            description=(
                "An Irish doctor makes and loses fortunes in goldfields Victoria, never at home "
                "in the colony or anywhere else. Richardson's trilogy in one volume: a portrait "
                "of a restless man and of the wife who carries him."
            ),
        ),
        DemoBook(
            isbn=isbn("978192192234"),
            title="The Watch Tower",
            authors=("Elizabeth Harrower",),
            introduction=("Joan London",),
            imprint="Text Classics",
            format=BookFormat.PAPERBACK,
            published=date(2012, 8, 27),
            pages=320,
            rrp="16.99",
            stock=5,
            subjects=AUSTRALIAN_CLASSIC,
            description=(
                "Left to fend for themselves, the sisters Laura and Clare are drawn into the "
                "household of Felix Shaw, whose cruelty grows as his businesses fail. "
                "Harrower's Sydney novel of control and escape."
            ),
        ),
        DemoBook(
            isbn=isbn("978192192246"),
            title="Wake in Fright",
            authors=("Kenneth Cook",),
            introduction=("Peter Temple",),
            imprint="Text Classics",
            format=BookFormat.PAPERBACK,
            published=date(2012, 3, 29),
            pages=224,
            rrp="16.99",
            stock=12,
            subjects=AUSTRALIAN_CLASSIC,
            description=(
                "A young teacher stranded in an outback mining town loses his money and then "
                "himself over a few days of drinking, gambling and hunting. Still the classic "
                "nightmare of the Australian bush."
            ),
        ),
        DemoBook(
            isbn=isbn("978192192258"),
            title="A House Is Built",
            authors=("Marjorie Barnard", "Flora Eldershaw"),
            imprint="Text Classics",
            format=BookFormat.PAPERBACK,
            published=date(2012, 11, 26),
            pages=400,
            rrp="19.99",
            stock=4,
            subjects=AUSTRALIAN_CLASSIC,
            description=(
                "A retired ship's quartermaster opens a store in 1830s Sydney, and the Hyde "
                "family business grows into a merchant dynasty. A novel of colonial commerce "
                "and family ambition."
            ),
        ),
        DemoBook(
            isbn=isbn("978014320290"),
            title="The Merry-Go-Round in the Sea",
            authors=("Randolph Stow",),
            imprint="Penguin Modern Classics",
            format=BookFormat.PAPERBACK,
            published=date(2008, 7, 1),
            pages=288,
            rrp="22.99",
            stock=6,
            subjects=AUSTRALIAN_CLASSIC,
            description=(
                "Rob Coram grows up in Geraldton during the Second World War, idolising his "
                "cousin Rick, who comes home from a prison camp changed. A novel of childhood "
                "and the end of its certainties."
            ),
        ),
        DemoBook(
            isbn=isbn("978192245901"),
            title="The Drums Go Bang",
            authors=("Ruth Park", "D'Arcy Niland"),
            imprint="Text Publishing",
            format=BookFormat.PAPERBACK,
            published=in_days(90),
            pages=256,
            rrp="24.99",
            stock=0,
            subjects=("Memoir",),
            description=(
                "Park and Niland's lively joint memoir of their first married years as "
                "freelance writers in Sydney, broke and determined."
            ),
        ),
        # Contemporary Australian writing.
        DemoBook(
            isbn=isbn("978192114534"),
            title="The Secret River",
            authors=("Kate Grenville",),
            imprint="Text Publishing",
            format=BookFormat.PAPERBACK,
            published=date(2006, 3, 6),
            pages=336,
            rrp="22.99",
            stock=25,
            subjects=(*AUSTRALIAN_NOVEL, "History"),
            description=SUMMARIES["The Secret River"],
        ),
        DemoBook(
            isbn=isbn("978192192137"),
            title="The Secret River",
            authors=("Kate Grenville",),
            imprint="Text Publishing",
            format=BookFormat.EBOOK,
            published=date(2012, 7, 2),
            rrp="12.99",
            stock=30,
            subjects=(*AUSTRALIAN_NOVEL, "History"),
            description=SUMMARIES["The Secret River"],
        ),
        DemoBook(
            isbn=isbn("978192235159"),
            title="A Room Made of Leaves",
            authors=("Kate Grenville",),
            imprint="Text Publishing",
            format=BookFormat.HARDBACK,
            published=date(2020, 7, 1),
            pages=336,
            rrp="39.99",
            stock=5,
            subjects=(*AUSTRALIAN_NOVEL, "History"),
            description=(
                "Grenville imagines the secret memoir of Elizabeth Macarthur, wife of the "
                "notorious John Macarthur, and the life she made for herself in the early "
                "colony."
            ),
        ),
        DemoBook(
            isbn=isbn("978033036232"),
            title="The Idea of Perfection",
            authors=("Kate Grenville",),
            imprint="Picador",
            format=BookFormat.PAPERBACK,
            published=date(2000, 3, 1),
            pages=416,
            rrp="22.99",
            stock=7,
            subjects=AUSTRALIAN_NOVEL,
            description=(
                "In a small New South Wales town, the engineer sent to replace an old wooden "
                "bridge and the museum consultant who wants it saved find their way, "
                "awkwardly, towards each other."
            ),
        ),
        DemoBook(
            isbn=isbn("978192192222"),
            title="The Plains",
            authors=("Gerald Murnane",),
            introduction=("Wayne Macauley",),
            imprint="Text Classics",
            format=BookFormat.PAPERBACK,
            published=date(2012, 3, 29),
            pages=176,
            rrp="16.99",
            stock=10,
            subjects=AUSTRALIAN_CLASSIC,
            description=(
                "A young filmmaker travels to the plains of inland Australia to make a film "
                "about the landowners there, and stays twenty years without shooting a frame. "
                "A strange, dry and very funny book."
            ),
        ),
        DemoBook(
            isbn=isbn("978192514051"),
            title="Border Districts",
            authors=("Gerald Murnane",),
            imprint="Giramondo",
            format=BookFormat.PAPERBACK,
            published=date(2017, 11, 1),
            pages=136,
            rrp="27.99",
            stock=3,
            subjects=AUSTRALIAN_NOVEL,
            description=(
                "A man who has moved to a town near the border goes over the images that have "
                "stayed with him: coloured glass, marbles, faces glimpsed in books. Murnane on "
                "how memory and fiction are made."
            ),
        ),
        DemoBook(
            isbn=isbn("978192033633"),
            title="Tamarisk Row",
            authors=("Gerald Murnane",),
            imprint="Giramondo",
            format=BookFormat.PAPERBACK,
            published=date(2008, 6, 1),
            pages=280,
            rrp="29.99",
            stock=0,
            subjects=AUSTRALIAN_CLASSIC,
            description=(
                "Clement Killeaton, a boy in a Victorian country town in the 1940s, lays out "
                "racecourses in the backyard while his father gambles the family's future. "
                "Murnane's first novel."
            ),
        ),
        DemoBook(
            isbn=isbn("978014027398"),
            title="Cloudstreet",
            authors=("Tim Winton",),
            imprint="Penguin Books",
            format=BookFormat.PAPERBACK,
            published=date(2008, 2, 4),
            pages=448,
            rrp="24.99",
            stock=30,
            subjects=AUSTRALIAN_NOVEL,
            description=SUMMARIES["Cloudstreet"],
        ),
        DemoBook(
            isbn=isbn("978174214560"),
            title="Cloudstreet",
            authors=("Tim Winton",),
            imprint="Bolinda Audio",
            format=BookFormat.AUDIOBOOK,
            published=date(2011, 5, 1),
            rrp="49.99",
            stock=30,
            subjects=AUSTRALIAN_NOVEL,
            description=SUMMARIES["Cloudstreet"],
        ),
        DemoBook(
            isbn=isbn("978176134120"),
            title="Cloudstreet",
            authors=("Tim Winton",),
            imprint="Penguin Books",
            format=BookFormat.HARDBACK,
            published=in_days(120),
            pages=456,
            rrp="49.99",
            stock=0,
            subjects=AUSTRALIAN_NOVEL,
            description=SUMMARIES["Cloudstreet"],
        ),
        DemoBook(
            isbn=isbn("978033034157"),
            title="The Riders",
            authors=("Tim Winton",),
            imprint="Picador",
            format=BookFormat.PAPERBACK,
            published=date(1995, 5, 1),
            pages=384,
            rrp="22.99",
            stock=4,
            subjects=AUSTRALIAN_NOVEL,
            description=(
                "Fred Scully has made an old Irish cottage ready for his family, but his wife "
                "never arrives, and he takes their young daughter across Europe looking for "
                "her."
            ),
        ),
        DemoBook(
            isbn=isbn("978192114510"),
            title="Monkey Grip",
            authors=("Helen Garner",),
            imprint="Text Publishing",
            format=BookFormat.PAPERBACK,
            published=date(2018, 8, 27),
            pages=256,
            rrp="22.99",
            stock=13,
            subjects=AUSTRALIAN_NOVEL,
            description=(
                "Nora, a single mother in 1970s inner Melbourne, loves a man who loves heroin. "
                "Garner's first novel, written close to the bone."
            ),
        ),
        DemoBook(
            isbn=isbn("978192145825"),
            title="The Spare Room",
            authors=("Helen Garner",),
            imprint="Text Publishing",
            format=BookFormat.PAPERBACK,
            published=date(2008, 4, 1),
            pages=208,
            rrp="22.99",
            stock=9,
            subjects=AUSTRALIAN_NOVEL,
            description=(
                "Helen gives her spare room to her friend Nicola, who has come to Melbourne for "
                "a cancer treatment that Helen soon suspects is a fraud."
            ),
        ),
        DemoBook(
            isbn=isbn("978192214735"),
            title="This House of Grief",
            subtitle="The Story of a Murder Trial",
            authors=("Helen Garner",),
            imprint="Text Publishing",
            format=BookFormat.PAPERBACK,
            published=date(2014, 8, 25),
            pages=304,
            rrp="24.99",
            stock=6,
            subjects=("True Crime",),
            description=(
                "Garner follows the trials of Robert Farquharson, accused of drowning his three "
                "sons by driving into a dam on Father's Day. A book about a courtroom, a family "
                "and what we can bear to know."
            ),
        ),
        DemoBook(
            isbn=isbn("978192226876"),
            title="Yellow Notebook",
            subtitle="Diaries Volume I, 1978–1987",
            authors=("Helen Garner",),
            imprint="Text Publishing",
            format=BookFormat.HARDBACK,
            published=date(2019, 11, 4),
            pages=320,
            rrp="34.99",
            stock=5,
            subjects=("Memoir",),
            description=(
                "The first volume of Garner's diaries, from the years after Monkey Grip made "
                "her name, as she moves between houses, loves and books."
            ),
        ),
        DemoBook(
            isbn=isbn("978192245853"),
            title="The Diaries of Helen Garner",
            subtitle="Volumes I–III",
            authors=("Helen Garner",),
            imprint="Text Publishing",
            format=BookFormat.OTHER,
            published=date(2023, 10, 31),
            rrp="99.99",
            stock=3,
            subjects=("Memoir",),
            description=(
                "All three volumes of Garner's diaries, Yellow Notebook, One Day I'll Remember "
                "This and How to End a Story, in a slipcase."
            ),
        ),
        # Poetry.
        DemoBook(
            isbn=isbn("978186395749"),
            title="Waiting for the Past",
            authors=("Les Murray",),
            imprint="Black Inc.",
            format=BookFormat.PAPERBACK,
            published=date(2015, 4, 27),
            pages=112,
            rrp="24.99",
            stock=4,
            subjects=("Poetry",),
            description=(
                "Poems of country, memory and language from Murray's later years, as alert and "
                "playful as anything he wrote."
            ),
        ),
        DemoBook(
            isbn=isbn("978176064333"),
            title="Continuous Creation",
            subtitle="Last Poems",
            authors=("Les Murray",),
            imprint="Black Inc.",
            format=BookFormat.HARDBACK,
            published=date(2022, 4, 5),
            pages=96,
            rrp="29.99",
            stock=2,
            subjects=("Poetry",),
            description=(
                "The last poems Murray prepared for publication, gathered after his death in 2019."
            ),
        ),
    ]


def check_demo(books: list[DemoBook]) -> None:
    """Raise ValueError if the demo data contradicts itself (a typo in a name, a bad ISBN)."""
    problems: list[str] = []
    imprints = {imprint.name for imprint in IMPRINTS}
    subjects = {subject.name for subject in SUBJECTS}
    authors = {author.name for author in AUTHORS}
    seen: set[str] = set()
    for book in books:
        try:
            if normalise_isbn(book.isbn) != book.isbn:
                problems.append(f"{book.title}: ISBN {book.isbn} is not 13 plain digits")
        except InvalidISBN as error:
            problems.append(f"{book.title}: ISBN {book.isbn}: {error}")
        if book.isbn in seen:
            problems.append(f"{book.title}: ISBN {book.isbn} is used twice")
        seen.add(book.isbn)
        if not book.authors:
            problems.append(f"{book.title}: no author")
        if book.imprint not in imprints:
            problems.append(f"{book.title}: unknown imprint {book.imprint!r}")
        problems.extend(
            f"{book.title}: unknown subject {name!r}"
            for name in book.subjects
            if name not in subjects
        )
        problems.extend(
            f"{book.title}: unknown person {name!r}"
            for name, _ in book.credits
            if name not in authors
        )
    if problems:
        raise ValueError("The demo catalogue is inconsistent:\n" + "\n".join(problems))


@dataclass
class DemoReport:
    """How many demo books a run created, corrected, or found already as the demo has them."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        return (
            f"Demo catalogue: {self.total} books ({self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged)"
        )


@dataclass
class _PendingWrites:
    """Rows to insert or delete in bulk once every book has been compared."""

    contributions: list[Contribution] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    subject_links: list[models.Model] = field(default_factory=list)
    stale_contributions: list[int] = field(default_factory=list)
    stale_reviews: list[int] = field(default_factory=list)

    def flush(self) -> None:
        Contribution.objects.filter(pk__in=self.stale_contributions).delete()
        Review.objects.filter(pk__in=self.stale_reviews).delete()
        Contribution.objects.bulk_create(self.contributions)
        Review.objects.bulk_create(self.reviews)
        Book.subjects.through.objects.bulk_create(self.subject_links)


M = TypeVar("M", bound=models.Model)


def _assign(obj: models.Model, values: dict[str, Any]) -> bool:
    """Set the fields that differ from `values`; True if any did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _upsert_by_slug(model: type[M], rows: dict[str, dict[str, Any]]) -> dict[str, M]:
    """Create or correct one row per slug; returns them by slug. Saves only what differs."""
    existing: dict[str, M] = {
        obj.slug: obj for obj in model._default_manager.filter(slug__in=list(rows))
    }
    for slug, values in rows.items():
        obj = existing.get(slug)
        if obj is None:
            existing[slug] = model._default_manager.create(slug=slug, **values)
        elif _assign(obj, values):
            obj.save()
    return existing


def _book_values(entry: DemoBook, imprint: Imprint) -> dict[str, Any]:
    return {
        "title": entry.title,
        "subtitle": entry.subtitle,
        "slug": slugify(entry.title),
        "published": entry.published,
        "imprint_id": imprint.pk,
        "format": entry.format,
        "product_form": "",
        "pages": entry.pages,
        "rrp": Money(Decimal(entry.rrp), "AUD"),
        "description": entry.description,
        "stock": entry.stock,
        "is_visible": True,
    }


def _sync_subjects(book: Book, wanted: set[int], *, created: bool, writes: _PendingWrites) -> bool:
    current = set() if created else {subject.pk for subject in book.subjects.all()}
    SubjectLink = Book.subjects.through
    writes.subject_links.extend(
        SubjectLink(book_id=book.pk, subject_id=pk) for pk in sorted(wanted - current)
    )
    if current - wanted:
        book.subjects.remove(*(current - wanted))
    return current != wanted


def _sync_contributions(
    book: Book, wanted: list[tuple[int, str]], *, created: bool, writes: _PendingWrites
) -> bool:
    """Match contributions by (author, role); `wanted` is in page order."""
    current = {} if created else {(c.author_id, c.role): c for c in book.contributions.all()}
    changed = False
    for position, (author_id, role) in enumerate(wanted):
        contribution = current.pop((author_id, role), None)
        if contribution is None:
            writes.contributions.append(
                Contribution(book=book, author_id=author_id, role=role, position=position)
            )
            changed = True
        elif contribution.position != position:
            contribution.position = position
            contribution.save(update_fields=["position"])
            changed = True
    if current:
        writes.stale_contributions.extend(c.pk for c in current.values())
        changed = True
    return changed


def _sync_reviews(
    book: Book, praise: tuple[tuple[str, str], ...], *, created: bool, writes: _PendingWrites
) -> bool:
    """Match praise quotes by (source, position); a duplicate of either is removed."""
    current: dict[tuple[str, int], Review] = {}
    duplicates: list[int] = []
    for review in [] if created else book.reviews.all():
        key = (review.source, review.position)
        if key in current:
            duplicates.append(review.pk)
        else:
            current[key] = review
    changed = False
    for position, (quote, source) in enumerate(praise):
        review = current.pop((source, position), None)
        if review is None:
            writes.reviews.append(Review(book=book, quote=quote, source=source, position=position))
            changed = True
        elif _assign(review, {"quote": quote, "url": ""}):
            review.save(update_fields=["quote", "url"])
            changed = True
    stale = duplicates + [review.pk for review in current.values()]
    if stale:
        writes.stale_reviews.extend(stale)
        changed = True
    return changed


def load_demo(*, today: datetime.date | None = None) -> DemoReport:
    """Create the demo catalogue, or bring it back to the demo's state. Safe to run again."""
    entries = demo_books(today=today or timezone.localdate())
    check_demo(entries)
    report = DemoReport()
    with transaction.atomic():
        imprints = _upsert_by_slug(
            Imprint, {i.slug: {"name": i.name, "publisher": i.publisher} for i in IMPRINTS}
        )
        subjects = _upsert_by_slug(Subject, {s.slug: {"name": s.name} for s in SUBJECTS})
        authors = _upsert_by_slug(
            Author,
            {
                a.slug: {"name": a.name, "sort_name": a.sort_name, "biography": a.biography}
                for a in AUTHORS
            },
        )
        imprint_named = {i.name: imprints[i.slug] for i in IMPRINTS}
        subject_named = {s.name: subjects[s.slug] for s in SUBJECTS}
        author_named = {a.name: authors[a.slug] for a in AUTHORS}

        existing = {
            book.isbn: book
            for book in Book.objects.filter(
                isbn__in=[entry.isbn for entry in entries]
            ).prefetch_related("subjects", "contributions", "reviews")
        }
        writes = _PendingWrites()
        for entry in entries:
            book = existing.get(entry.isbn)
            created = book is None
            if book is None:
                book = Book(isbn=entry.isbn)
            fields_changed = _assign(book, _book_values(entry, imprint_named[entry.imprint]))
            if created or fields_changed:
                book.save()
            subjects_changed = _sync_subjects(
                book,
                {subject_named[name].pk for name in entry.subjects},
                created=created,
                writes=writes,
            )
            contributions_changed = _sync_contributions(
                book,
                [(author_named[name].pk, role.value) for name, role in entry.credits],
                created=created,
                writes=writes,
            )
            reviews_changed = _sync_reviews(book, entry.praise, created=created, writes=writes)
            if created:
                report.created += 1
            elif fields_changed or subjects_changed or contributions_changed or reviews_changed:
                report.updated += 1
            else:
                report.unchanged += 1
        writes.flush()
        Book.objects.filter(isbn__in=[entry.isbn for entry in entries]).refresh_search_text()
        # Bulk writes send no signals: tell the page caches the catalogue changed.
        if report.created or report.updated:
            transaction.on_commit(bump_catalogue_version)
    return report
