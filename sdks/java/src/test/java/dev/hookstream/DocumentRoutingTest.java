package dev.hookstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Holds the hand-written routing against the API document: every tag has an accessor, named after
 * it, returning the generated API class, bound to the service the document's operations name.
 */
class DocumentRoutingTest {
  @Test
  void everyAreaOfTheDocumentIsReachableAndSentToItsService() throws Exception {
    JsonNode doc = new ObjectMapper().readTree(Path.of("../../docs/openapi.json").toFile());
    Map<String, String> serviceByTag = new TreeMap<>();
    for (JsonNode path : doc.get("paths")) {
      for (Iterator<JsonNode> ops = path.elements(); ops.hasNext(); ) {
        JsonNode op = ops.next();
        serviceByTag.put(op.get("tags").get(0).asText(), op.get("servers").get(0).get("description").asText());
      }
    }
    assertFalse(serviceByTag.isEmpty());
    Map<String, String> urlByService = Map.of("ingress-gateway", "http://gateway.test", "subscription-registry", "http://registry.test", "dlq-inspector", "http://dlq.test");
    Hookstream hs = Hookstream.builder()
        .apiKey("hsk_test")
        .ingressGateway(urlByService.get("ingress-gateway"))
        .subscriptionRegistry(urlByService.get("subscription-registry"))
        .dlqInspector(urlByService.get("dlq-inspector") + "/")
        .build();
    for (Map.Entry<String, String> e : serviceByTag.entrySet()) {
      String pascal = pascal(e.getKey());
      Method accessor = Hookstream.class.getMethod(Character.toLowerCase(pascal.charAt(0)) + pascal.substring(1));
      assertEquals(pascal + "Api", accessor.getReturnType().getSimpleName(), e.getKey());
      Object api = accessor.invoke(hs);
      Field baseUri = api.getClass().getDeclaredField("memberVarBaseUri");
      baseUri.setAccessible(true);
      assertEquals(urlByService.get(e.getValue()), baseUri.get(api), e.getKey() + " is served by " + e.getValue());
    }
  }

  /** "Dead letters" → DeadLetters, "API keys" → ApiKeys: as the generator names the API classes. */
  private static String pascal(String tag) {
    StringBuilder out = new StringBuilder();
    for (String word : tag.split(" ")) out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1).toLowerCase());
    return out.toString();
  }
}
