"""Word lists for the synthetic catalogue in bench/seed.py.

Plain data, no Django: names, title words, imprints, subjects and praise. The lists are
fixed, so `random.Random(seed)` over them gives the same catalogue every time.
"""

IMPRINTS: tuple[tuple[str, str], ...] = (
    ("Allen & Unwin", "Allen & Unwin"),
    ("Black Inc.", "Schwartz Books"),
    ("Bloomsbury Australia", "Bloomsbury Publishing"),
    ("Bolinda Audio", "Bolinda Publishing"),
    ("Brio Books", "Brio Books"),
    ("Scribe", "Scribe Publications"),
    ("Fremantle Press", "Fremantle Press"),
    ("Giramondo", "Giramondo Publishing"),
    ("Hachette Australia", "Hachette"),
    ("HarperCollins Australia", "HarperCollins"),
    ("Hardie Grant", "Hardie Grant Publishing"),
    ("Magabala Books", "Magabala Books"),
    ("Melbourne University Publishing", "MUP"),
    ("NewSouth", "UNSW Press"),
    ("NY Review Books", "New York Review of Books"),
    ("NYRB Poets", "New York Review of Books"),
    ("Pan Macmillan Australia", "Pan Macmillan"),
    ("Penguin Books", "Penguin Random House Australia"),
    ("Penguin Modern Classics", "Penguin Books"),
    ("Picador", "Pan Macmillan"),
    ("PM Press", "PM Press"),
    ("Puncher & Wattmann", "Puncher & Wattmann"),
    ("Affirm Press", "Affirm Press"),
    ("Text Classics", "Text Publishing"),
    ("Text Publishing", "Text Publishing"),
    ("UQP", "University of Queensland Press"),
    ("Transit Lounge", "Transit Lounge"),
    ("Verso", "Verso Books"),
    ("Vintage Classics", "Penguin Random House"),
    ("Wakefield Press", "Wakefield Press"),
)

# (name, weight): how often a book gets the subject.
SUBJECTS: tuple[tuple[str, int], ...] = (
    ("Fiction", 30),
    ("Australian Fiction", 14),
    ("Translated Fiction", 8),
    ("Classics", 7),
    ("Crime & Thrillers", 10),
    ("Science Fiction & Fantasy", 8),
    ("Historical Fiction", 7),
    ("Poetry", 4),
    ("History", 12),
    ("Australian History", 6),
    ("Politics", 7),
    ("Memoir", 8),
    ("Biography", 7),
    ("Essays", 5),
    ("True Crime", 4),
    ("Nature & Environment", 6),
    ("Science", 6),
    ("Philosophy", 4),
    ("Art & Design", 3),
    ("Food & Drink", 4),
    ("Travel", 4),
    ("Children's Books", 6),
    ("Young Adult", 5),
    ("Graphic Novels", 3),
    ("First Nations", 4),
)

FIRST_NAMES: tuple[str, ...] = (
    "Aaliyah", "Adam", "Adele", "Aiko", "Alexis", "Alice", "Amir", "Ana", "Andrew",
    "Anna", "Anwen", "Arjun", "Ava", "Beatriz", "Ben", "Bridget", "Bruno", "Carlos",
    "Catherine", "Charlotte", "Chen", "Chloe", "Christos", "Claire", "Clara", "Daniel",
    "David", "Dimitra", "Eamon", "Elena", "Eliza", "Emma", "Eun-ji", "Farid", "Fatima",
    "Felix", "Fiona", "Francesca", "Gabriel", "Georgia", "Grace", "Hamish", "Hana",
    "Hannah", "Harriet", "Helen", "Hugo", "Ines", "Isabel", "Ivan", "Jack", "James",
    "Jasmine", "Javier", "Jean", "Jia", "Joanna", "Jonah", "Jose", "Julia", "Kate",
    "Kenji", "Kieran", "Kirsten", "Lachlan", "Laila", "Leah", "Leila", "Liam", "Lin",
    "Lucia", "Lucy", "Magnus", "Malcolm", "Maria", "Marcus", "Margaret", "Mateo",
    "Mei", "Michael", "Mira", "Nadia", "Naomi", "Nikolai", "Nina", "Noah", "Oliver",
    "Olivia", "Omar", "Oscar", "Patrick", "Paul", "Priya", "Rachel", "Rafael", "Ravi",
    "Rosa", "Ruth", "Sam", "Sara", "Sean", "Sofia", "Stella", "Tariq", "Tess", "Thomas",
    "Tomasz", "Vanessa", "Victor", "Wei", "William", "Yasmin", "Yuki", "Zainab", "Zoe",
)  # fmt: skip

SURNAMES: tuple[str, ...] = (
    "Abbott", "Adeyemi", "Ahmed", "Alvarez", "Anderson", "Andreou", "Bailey", "Baker",
    "Banerjee", "Bell", "Bennett", "Brennan", "Brown", "Byrne", "Campbell", "Carey",
    "Castillo", "Chandler", "Chen", "Clarke", "Cohen", "Collins", "Costa", "Cruz",
    "Davies", "Dimitriou", "Doyle", "Duong", "Edwards", "Evans", "Farah", "Fernandes",
    "Fitzgerald", "Fraser", "Garcia", "Gill", "Gordon", "Grant", "Green", "Gupta",
    "Hall", "Hamilton", "Harris", "Hassan", "Hayes", "Henderson", "Hill", "Hoang",
    "Hughes", "Hussein", "Ivanova", "Jackson", "Jensen", "Johnson", "Jones", "Kaur",
    "Kelly", "Kennedy", "Khan", "Kim", "King", "Kowalski", "Kumar", "Lam", "Larsen",
    "Lee", "Lewis", "Li", "Lin", "Liu", "Lopez", "MacDonald", "Malouf", "Martin",
    "Martinez", "McCarthy", "McKenzie", "Mitchell", "Moore", "Morgan", "Murphy",
    "Murray", "Nakamura", "Nguyen", "Novak", "O'Brien", "O'Connor", "Okafor", "Olsen",
    "Papadopoulos", "Park", "Patel", "Pereira", "Petrov", "Phillips", "Quinn", "Ramos",
    "Reid", "Richards", "Roberts", "Robinson", "Rossi", "Russo", "Ryan", "Santos",
    "Schmidt", "Scott", "Sharma", "Singh", "Smith", "Sorensen", "Stewart", "Sullivan",
    "Suzuki", "Tan", "Taylor", "Thomas", "Thompson", "Tran", "Turner", "Vasquez",
    "Walker", "Wang", "Watson", "White", "Williams", "Wilson", "Wong", "Wright", "Wu",
    "Xu", "Yamamoto", "Yang", "Young", "Zhang", "Zhou",
)  # fmt: skip

# Title words. The first few adjectives and nouns are the commonest, so a search for one
# of them ("night", "river") matches many titles, as a search for "house" does in a shop.
ADJECTIVES: tuple[str, ...] = (
    "Silent", "Lost", "Last", "Hidden", "Burning", "Broken", "Golden", "Secret", "Wild",
    "Distant", "Quiet", "Bright", "Dark", "Long", "Salt", "Summer", "Winter", "Forgotten",
    "Drowned", "Shining", "Small", "Open", "Bitter", "Sweet", "Strange", "Empty", "Red",
    "Blue", "Green", "White", "Black", "Northern", "Southern", "Inland", "Restless",
    "Unfinished", "Ordinary", "Invisible", "Crooked", "Dry", "Endless", "Hollow",
    "Midnight", "Paper", "Glass", "Iron", "Stone", "Borrowed", "Second", "Conquered",
)  # fmt: skip

NOUNS: tuple[str, ...] = (
    "Night", "River", "House", "City", "Sea", "Garden", "Country", "Road", "Light",
    "Island", "Harbour", "Fire", "Winter", "Season", "Mountain", "Shore", "Forest",
    "Desert", "Storm", "Letter", "Promise", "Inheritance", "Silence", "Memory",
    "Kingdom", "Daughter", "Son", "Mother", "Father", "Sister", "Stranger", "Witness",
    "Thief", "Orchard", "Bridge", "Tide", "Valley", "Coast", "Paddock", "Station",
    "Library", "Map", "Year", "Summer", "Hour", "Dream", "Song", "Voyage", "Border",
    "Harvest", "Empire", "Revolution", "Archive", "Museum", "Weather", "Flood",
    "Drought", "Lighthouse", "Wolf", "Crow", "Magpie", "Whale", "Heron", "Fox",
)  # fmt: skip

PLACES: tuple[str, ...] = (
    "Sydney", "Melbourne", "Hobart", "Perth", "Adelaide", "Brisbane", "Darwin",
    "Fremantle", "Ballarat", "Broome", "Alice Springs", "the Kimberley", "the Mallee",
    "the Nullarbor", "the Blue Mountains", "Gippsland", "Petrograd", "Paris", "Lisbon",
    "Naples", "Trieste", "Odessa", "Istanbul", "Cairo", "Kolkata", "Shanghai", "Kyoto",
    "Buenos Aires", "Mexico City", "Berlin", "Vienna", "Prague",
)  # fmt: skip

SUBTITLE_PATTERNS: tuple[str, ...] = (
    "A Novel",
    "A Memoir",
    "Stories",
    "Poems",
    "Essays",
    "A History of {place}",
    "Life and Death in {place}",
    "Notes from {place}",
    "The Story of a {noun}",
    "A Journey through {place}",
    "How the {noun} Changed Us",
    "Selected Writings",
)

DESCRIPTION_SENTENCES: tuple[str, ...] = (
    "In {place}, a {noun_l} keeps its secrets until one {adj_l} summer.",
    "{first} has spent twenty years running from the {noun_l} she grew up in.",
    "When a letter arrives from {place}, nothing in the family will be the same again.",
    "A {adj_l}, unflinching account of a {noun_l} and the people who refused to leave it.",
    "Told in three voices across four decades, this is a book about what we inherit.",
    "Written with wit and tenderness, it asks what we owe the places that made us.",
    "Part detective story, part elegy, it moves from {place} to the edge of the {noun_l}.",
    "Drawing on archives, interviews and her own memory, the author reconstructs a world.",
    "By turns funny and heartbreaking, it is a portrait of a {noun_l} in crisis.",
    "This edition includes a new introduction and notes on the text.",
    "Shortlisted for the Miles Franklin Award.",
    "Winner of the Stella Prize and the Prime Minister's Literary Award.",
    "A bestseller in its first year, now in a new {format_l} edition.",
    "The long-awaited follow-up to the acclaimed {adj} {noun}.",
    "It is a story of {noun_l} and {noun2_l}, of {place} and of everything in between.",
)

BIOGRAPHY_SENTENCES: tuple[str, ...] = (
    "{name} was born in {place} and now lives in {place2}.",
    "{name} has worked as a journalist, a teacher and a translator.",
    "Their books have been translated into more than twenty languages.",
    "{name} is the author of several novels and a collection of essays.",
    "They have won the Victorian Premier's Literary Award and the Stella Prize.",
    "{name} teaches creative writing at a university in {place}.",
    "This is their first book.",
)

PRAISE_QUOTES: tuple[str, ...] = (
    "A dazzling, generous novel that stays with you long after the last page.",
    "Unforgettable. I read it in one sitting and then started again.",
    "Extraordinary — as gripping as a thriller and as moving as anything I've read.",
    "A major work by a writer at the height of their powers.",
    "Luminous, tender and wise.",
    "Essential reading for anyone who wants to understand how we got here.",
    "Beautifully written and impeccably researched.",
    "Few books manage to be this funny and this sad at once.",
    "A masterpiece of compression: not a word wasted.",
    "The best book I have read this year.",
    "Vivid, urgent and utterly convincing.",
    "It will break your heart and then, quietly, mend it.",
)

PRAISE_SOURCES: tuple[str, ...] = (
    "The Sydney Morning Herald",
    "The Age",
    "The Saturday Paper",
    "The Guardian",
    "The Australian",
    "Australian Book Review",
    "The Monthly",
    "Books+Publishing",
    "The New York Times",
    "The Times Literary Supplement",
    "Kirkus Reviews",
    "Publishers Weekly",
    "Helen Garner",
    "Tim Winton",
    "Alexis Wright",
    "Richard Flanagan",
    "Charlotte Wood",
    "Christos Tsiolkas",
)
